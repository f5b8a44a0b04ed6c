package dev.meerkat.cli.shell;

import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code meerkat cli [-server host:port,...] [-timeout ms] [cmd args...]}: zkCli.sh's command line.
 * With a command it runs that one command and exits with its exit code (0, 1 for a failed
 * command, 127 for an unknown one); without, it reads commands from the terminal with jline, or
 * from standard input when that is not a terminal.
 */
public final class ShellMain {
    public static final String DEFAULT_SERVER = "localhost:2181";
    public static final int DEFAULT_TIMEOUT_MS = 30_000;
    public static final String HISTORY_FILE = ".meerkat_history";

    private ShellMain() {
    }

    /** The process's options, as zkCli reads them: options first, then the command and its words. */
    public record Options(String server, int timeoutMs, List<String> command, boolean help) {
        /**
         * @throws IllegalArgumentException with the words to print when an option lacks its value
         */
        public static Options parse(List<String> args) {
            String server = DEFAULT_SERVER;
            int timeout = DEFAULT_TIMEOUT_MS;
            boolean help = false;
            for (int i = 0; i < args.size(); i++) {
                String opt = args.get(i);
                if (!opt.startsWith("-")) {
                    return new Options(server, timeout, List.copyOf(args.subList(i, args.size())), help);
                }
                switch (opt) {
                    case "-server" -> server = value(args, ++i, opt);
                    case "-timeout" -> {
                        String v = value(args, ++i, opt);
                        try {
                            timeout = Integer.parseInt(v);
                        } catch (NumberFormatException e) {
                            timeout = -1;
                        }
                        if (timeout <= 0) {
                            throw new IllegalArgumentException("Error: -timeout needs a positive number of milliseconds, not " + v);
                        }
                    }
                    // zkCli's options that change nothing here: a read-only server is never asked
                    // for, and the shell always waits for its connection
                    case "-client-configuration" -> value(args, ++i, opt);
                    case "-h", "-help", "--help" -> help = true;
                    default -> {
                        // zkCli ignores options it does not know (-r, -waitforconnection, ...)
                    }
                }
            }
            return new Options(server, timeout, List.of(), help);
        }

        private static String value(List<String> args, int i, String opt) {
            if (i >= args.size()) {
                throw new IllegalArgumentException("Error: no argument found for option " + opt);
            }
            return args.get(i);
        }
    }

    /** Runs as a process would: one command, a terminal session, or a script on standard input. */
    public static int run(List<String> args, InputStream in, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return ShellException.FAILED;
        }
        if (options.help()) {
            help(out);
            return 0;
        }
        try {
            if (!options.command().isEmpty()) {
                return oneShot(options, out, err);
            }
            if (in == System.in && isTerminal()) {
                try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
                    return interactive(options, terminal, out, err,
                            Path.of(System.getProperty("user.home"), HISTORY_FILE));
                }
            }
            return script(options, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), out, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("Interrupted");
            return ShellException.FAILED;
        } catch (IOException e) {
            err.println(e.getMessage());
            return ShellException.FAILED;
        }
    }

    /**
     * Whether this process talks to a person: stdin and stdout on a terminal. From Java 22 on
     * System.console() exists for redirected streams too, and isTerminal() tells.
     */
    private static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /**
     * Runs one command and returns its exit code. Only the command's output is printed, so that a
     * script can use it as it is; the shell's greeting and connection events are left out.
     */
    public static int oneShot(Options options, PrintStream out, PrintStream err) throws InterruptedException {
        if (options.command().get(0).equals("help")) {
            Shell.usage(out);
            return 0;
        }
        try (Shell shell = new Shell(out, err, options.timeoutMs(), false)) {
            if (!shell.connect(options.server())) {
                return ShellException.FAILED;
            }
            shell.execute(new ArrayList<>(options.command()));
            return shell.exitCode();
        }
    }

    /** A session on a terminal, with jline. */
    public static int interactive(Options options, Terminal terminal, PrintStream out, PrintStream err, Path history)
            throws InterruptedException {
        Shell shell = new Shell(out, err, options.timeoutMs(), true);
        greet(options, out);
        out.println("JLine support is enabled");
        shell.connect(options.server());
        return Console.interactive(shell, terminal, history);
    }

    /** A session on input that is not a terminal: no prompt, no line editing. */
    public static int script(Options options, BufferedReader in, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        Shell shell = new Shell(out, err, options.timeoutMs(), true);
        greet(options, out);
        out.println("JLine support is disabled");
        shell.connect(options.server());
        return Console.plain(shell, in);
    }

    private static void greet(Options options, PrintStream out) {
        out.println("Connecting to " + options.server());
        out.println("Welcome to Meerkat!");
    }

    static void help(PrintStream out) {
        out.println("Usage: meerkat cli [-server host:port[,host:port...][/chroot]] [-timeout ms] [cmd args...]");
        out.println("A shell for Meerkat and ZooKeeper with zkCli.sh's commands and output.");
        out.println("With a command, runs it and exits with its code (0 ok, 1 failed, 127 unknown command);");
        out.println("without, reads commands from the terminal (history in ~/" + HISTORY_FILE
                + ", Tab completes commands and paths) or from standard input.");
        out.println("  -server   the servers to connect to (default " + DEFAULT_SERVER + ")");
        out.println("  -timeout  the session timeout in milliseconds (default " + DEFAULT_TIMEOUT_MS + ")");
        out.println();
        Shell.usage(out);
    }
}
