package dev.meerkat.cli.shell;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The shell's read loops: on a terminal with jline (prompt, line editing, history kept in a file,
 * completion of commands and znode paths, watch events printed above the prompt), and on plain
 * input such as a piped script (no prompt, as zkCli without jline).
 */
public final class Console {
    private Console() {
    }

    /**
     * Reads lines from {@code terminal} until {@code quit} or end of input, then closes the
     * connection.
     *
     * @param historyFile where the line history is kept between sessions, or null for none
     * @return the exit code of the last command
     */
    public static int interactive(Shell shell, Terminal terminal, Path historyFile) throws InterruptedException {
        LineReaderBuilder builder = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("meerkat")
                .completer(new ZNodeCompleter(shell))
                // a line is a command as soon as Enter is pressed: zkCli's own splitting treats a
                // quote inside a word (it's) as a character, so jline must not wait for its close
                .parser(new DefaultParser().eofOnUnclosedQuote(false).eofOnEscapedNewLine(false))
                // data may hold '!', which would otherwise be taken for a history reference
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true);
        if (historyFile != null) {
            builder.variable(LineReader.HISTORY_FILE, historyFile);
        }
        LineReader reader = builder.build();
        shell.setEventPrinter(reader::printAbove);
        try {
            while (true) {
                String line;
                try {
                    line = reader.readLine(shell.prompt());
                } catch (UserInterruptException e) {
                    // Ctrl-C drops the line being typed, as a shell does
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                if (!shell.executeLine(line)) {
                    break;
                }
            }
        } finally {
            // from here on the reader is not reading: events (the Closed one) print plainly
            shell.setEventPrinter(null);
            saveHistory(reader, shell.err());
            shell.close();
        }
        return shell.exitCode();
    }

    private static void saveHistory(LineReader reader, PrintStream err) {
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            err.println("Could not save the history: " + e.getMessage());
        }
    }

    /**
     * Reads lines from {@code in} without a prompt until {@code quit} or end of input, then closes
     * the connection.
     *
     * @return the exit code of the last command
     */
    public static int plain(Shell shell, BufferedReader in) throws IOException, InterruptedException {
        try {
            String line;
            while ((line = in.readLine()) != null) {
                if (!shell.executeLine(line)) {
                    break;
                }
            }
        } finally {
            shell.close();
        }
        return shell.exitCode();
    }
}
