package dev.meerkat.cli.shell;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@link Shell} whose stdout and stderr the test reads, run line by line as typed at its prompt. */
final class ShellSession implements AutoCloseable {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final Shell shell = new Shell(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), Integer.parseInt(ShellTestBase.TIMEOUT_MS), true);

    ShellSession(String connectString) throws InterruptedException {
        if (!shell.connect(connectString)) {
            throw new IllegalStateException("could not connect: " + err());
        }
    }

    /** Runs the line; whether the shell goes on (false after quit). */
    boolean type(String line) throws InterruptedException {
        return shell.executeLine(line);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    List<String> outLines() {
        return out().lines().toList();
    }

    List<String> errLines() {
        return err().lines().toList();
    }

    /** Runs one line on its own: what it printed and the exit code it left. */
    ShellTestBase.Result run(String line) throws InterruptedException {
        clear();
        type(line);
        return new ShellTestBase.Result(shell.exitCode(), out(), err());
    }

    /**
     * Returns once every watch event the server sent before now has been handled: a request's
     * future completes on the client's event thread, after the events that came before its reply.
     */
    void drainEvents() throws Exception {
        shell.client().exists("/").get(10, TimeUnit.SECONDS);
    }

    /** Forgets what was printed so far. */
    void clear() {
        out.reset();
        err.reset();
    }

    @Override
    public void close() throws InterruptedException {
        shell.close();
    }
}
