package dev.meerkat.cli.shell;

/**
 * A command that failed, with the words the shell prints on stderr and the exit code it leaves
 * (zkCli's CliException: 1, or 127 for an unknown command). A null message prints nothing.
 */
public final class ShellException extends Exception {
    private static final long serialVersionUID = 1L;

    /** zkCli's exit code for every failed command but an unknown one. */
    public static final int FAILED = 1;
    /** zkCli's exit code for an unknown command. */
    public static final int NOT_FOUND = 127;

    private final int exitCode;

    public ShellException(String message) {
        this(message, FAILED);
    }

    public ShellException(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
