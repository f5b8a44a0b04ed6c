package dev.meerkat.bench;

import java.io.PrintStream;

/**
 * The progress line. On a terminal it is rewritten in place; otherwise (a pipe, a log file, a
 * test) each update is a line of its own, so that nothing is lost.
 */
public final class Progress {
    private final PrintStream out;
    private final boolean inPlace;
    private boolean open;

    public Progress(PrintStream out, boolean inPlace) {
        this.out = out;
        this.inPlace = inPlace;
    }

    /** On stderr, in place when the JVM has a console. */
    public static Progress stderr() {
        return new Progress(System.err, System.console() != null);
    }

    public synchronized void update(String line) {
        if (inPlace) {
            out.print("\r" + line + "\033[K");
            open = true;
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Ends the current line, if one is being rewritten, so the next output starts on its own. */
    public synchronized void finish() {
        if (open) {
            out.println();
            open = false;
        }
        out.flush();
    }

    /** A line that stays: the one being rewritten is ended first. */
    public synchronized void println(String line) {
        finish();
        out.println(line);
        out.flush();
    }
}
