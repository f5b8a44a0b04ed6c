package dev.meerkat.cli.shell;

import dev.meerkat.client.BlockingMeerkat;
import dev.meerkat.client.ClientOptions;
import dev.meerkat.client.ConnectionState;
import dev.meerkat.client.MeerkatClient;
import dev.meerkat.client.MeerkatException;
import dev.meerkat.client.WatchedEvent;
import dev.meerkat.client.Watcher;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The state of one zkCli-compatible shell: its connection, its numbered history, whether watch
 * events are printed, and the exit code of the last command. {@link #executeLine} runs one typed
 * line, {@link #execute} one command given as words (the one-shot mode); both print on the shell's
 * streams exactly what zkCli prints: results on stdout, {@code Created /x} and every error on
 * stderr, watch events as {@code WATCHER::} blocks on stdout.
 *
 * <p>One thread runs commands. Watch events and connection changes arrive on the client's event
 * thread and are printed through {@link #setEventPrinter} (the interactive console prints them
 * above the prompt).
 */
public final class Shell implements AutoCloseable {
    /** The first line of the usage text. */
    public static final String USAGE_HEADER = "ZooKeeper -server host:port cmd args";

    private final PrintStream out;
    private final PrintStream err;
    private final int timeoutMs;
    private final boolean printConnectionEvents;
    private final Watcher watcher = this::watchEvent;
    private final Map<Integer, String> history = new HashMap<>();
    private final Commands commands;

    private int commandCount;
    private int exitCode;
    private volatile boolean printWatches = true;
    private volatile Consumer<String> eventPrinter;
    private volatile MeerkatClient client;
    private volatile BlockingMeerkat zk;
    private volatile CountDownLatch clientEnded = new CountDownLatch(0);
    private String host = "";

    /**
     * @param timeoutMs             the session timeout asked of the server (zkCli's {@code -timeout});
     *                              also how long connecting may take
     * @param printConnectionEvents whether connection changes print as watch events, as zkCli's
     *                              interactive mode does; the one-shot mode prints only the
     *                              command's own output
     */
    public Shell(PrintStream out, PrintStream err, int timeoutMs, boolean printConnectionEvents) {
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("timeout must be positive: " + timeoutMs);
        }
        this.out = out;
        this.err = err;
        this.timeoutMs = timeoutMs;
        this.printConnectionEvents = printConnectionEvents;
        this.eventPrinter = this::printOnOut;
        this.commands = new Commands(this);
    }

    // ------------------------------------------------------------------ running commands

    /**
     * Runs one line as typed at the prompt: blank lines are ignored, any other is numbered and
     * kept for {@code history} and {@code redo}.
     *
     * @return false after {@code quit}
     */
    public boolean executeLine(String line) throws InterruptedException {
        if (line.isBlank()) {
            return true;
        }
        List<String> words = Tokenizer.split(line);
        history.put(commandCount, line);
        boolean more = execute(words);
        commandCount++;
        return more;
    }

    /**
     * Runs one command given as words ({@code ["get", "-s", "/a"]}), as the one-shot mode does, and
     * records its exit code (0, 1 for a failed command, 127 for an unknown one).
     *
     * @return false after {@code quit}
     */
    public boolean execute(List<String> words) throws InterruptedException {
        try {
            boolean more = run(words);
            exitCode = 0;
            return more;
        } catch (ShellException e) {
            exitCode = e.exitCode();
            if (e.getMessage() != null) {
                err.println(e.getMessage());
            }
            return true;
        } catch (Quit q) {
            return false;
        } catch (RuntimeException e) {
            // a failure of the shell itself: say what it was and keep the session
            exitCode = ShellException.FAILED;
            err.println(e);
            return true;
        }
    }

    /** The exit code of the last command, as zkCli leaves it for the process. */
    public int exitCode() {
        return exitCode;
    }

    private boolean run(List<String> words) throws ShellException, InterruptedException, Quit {
        if (words.isEmpty()) {
            usage(err);
            throw new ShellException("No command entered");
        }
        String cmd = words.get(0);
        if (cmd.equals("help")) {
            usage(out);
            return true;
        }
        Commands.Spec spec = Commands.SPECS.get(cmd);
        if (spec == null) {
            usage(err);
            throw new ShellException("Command not found: Command not found " + cmd, ShellException.NOT_FOUND);
        }
        switch (cmd) {
            case "quit" -> {
                closeClient();
                throw new Quit();
            }
            case "redo" -> {
                if (words.size() >= 2) {
                    redo(words.get(1));
                }
            }
            case "history" -> {
                for (int i = commandCount - 10; i <= commandCount; ++i) {
                    if (i >= 0) {
                        out.println(i + " - " + history.get(i));
                    }
                }
            }
            case "printwatches" -> {
                if (words.size() == 1) {
                    out.println("printwatches is " + (printWatches ? "on" : "off"));
                } else {
                    printWatches = words.get(1).equals("on");
                }
            }
            case "connect" -> connect(words.size() >= 2 ? words.get(1) : host);
            default -> {
            }
        }
        if (!isAlive()) {
            out.println("Not connected");
            return true;
        }
        if (spec.local()) {
            return true;
        }
        commands.run(cmd, words.toArray(new String[0]));
        return true;
    }

    private void redo(String number) throws ShellException, InterruptedException, Quit {
        int i;
        try {
            i = Integer.decode(number);
        } catch (NumberFormatException e) {
            throw new ShellException("Command index out of range");
        }
        if (commandCount <= i || i < 0) {
            throw new ShellException("Command index out of range");
        }
        List<String> words = Tokenizer.split(history.get(i));
        if (!words.isEmpty() && words.get(0).equals("redo")) {
            throw new ShellException("No redoing redos");
        }
        history.put(commandCount, history.get(i));
        // the repeated command prints its own failure; redo itself then succeeds, as in zkCli
        if (!execute(words)) {
            throw new Quit();
        }
    }

    /** zkCli's usage text: the header, then each command and its syntax, sorted. */
    public static void usage(PrintStream to) {
        to.println(USAGE_HEADER);
        for (Commands.Spec s : Commands.SPECS.values()) {
            to.println("\t" + s.name() + " " + s.syntax());
        }
    }

    /** The command names, sorted: for completion. */
    public static List<String> commandNames() {
        return new ArrayList<>(Commands.SPECS.keySet());
    }

    /** Thrown by {@code quit}: the shell is done. */
    private static final class Quit extends Exception {
        private static final long serialVersionUID = 1L;

        Quit() {
            super(null, null, false, false);
        }
    }

    // ------------------------------------------------------------------ the connection

    /**
     * Closes the current connection, if any, and connects to {@code connectString}, waiting at most
     * the timeout. If that fails the reason is printed on stderr and the shell is not connected.
     *
     * @return whether the shell is connected
     */
    public boolean connect(String connectString) throws InterruptedException {
        closeClient();
        host = connectString;
        CountDownLatch ended = new CountDownLatch(1);
        boolean[] connected = {false};
        ClientOptions options = ClientOptions.builder()
                .sessionTimeout(Duration.ofMillis(timeoutMs))
                .connectionTimeout(Duration.ofMillis(timeoutMs))
                // runs on the client's event thread, one state at a time
                .connectionStateListener(state -> {
                    connected[0] |= state == ConnectionState.CONNECTED;
                    if (connected[0]) {
                        stateChanged(state);
                    }
                    if (state.isTerminal()) {
                        ended.countDown();
                    }
                })
                .build();
        CompletableFuture<MeerkatClient> connecting = MeerkatClient.connect(connectString, options);
        try {
            MeerkatClient c = connecting.get(timeoutMs + 5_000L, TimeUnit.MILLISECONDS);
            clientEnded = ended;
            zk = c.sync();
            client = c;
            return true;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String why = cause instanceof MeerkatException m ? Formats.keeperMessage(m.code(), null) : cause.getMessage();
            err.println("Unable to connect to " + connectString + ": " + why);
        } catch (TimeoutException e) {
            connecting.thenAccept(MeerkatClient::close);
            err.println("Unable to connect to " + connectString + ": no session within " + timeoutMs + " ms");
        }
        return false;
    }

    /**
     * Closes the connection (ending the session), as zkCli's {@code close}, and returns once the
     * Closed event has been printed.
     */
    public void closeClient() throws InterruptedException {
        MeerkatClient c = client;
        if (c != null && !c.state().isTerminal()) {
            c.close();
            clientEnded.await(timeoutMs, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        closeClient();
    }

    /** Whether commands can run: a client whose session has not ended (it may be reconnecting). */
    boolean isAlive() {
        MeerkatClient c = client;
        return c != null && !c.state().isTerminal();
    }

    BlockingMeerkat zk() {
        return zk;
    }

    MeerkatClient client() {
        return client;
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    /** The watcher every {@code -w} and {@code addWatch} registers: it prints the event. */
    Watcher watcher() {
        return watcher;
    }

    /** zkCli's prompt: {@code [zk: localhost:2181(CONNECTED) 3] }. */
    public String prompt() {
        return "[zk: " + host + "(" + stateName() + ") " + commandCount + "] ";
    }

    /** The connection's state in the words of ZooKeeper's {@code ZooKeeper.States}. */
    String stateName() {
        MeerkatClient c = client;
        if (c == null) {
            return "CLOSED";
        }
        ConnectionState s = c.state();
        if (s == null) {
            return "CONNECTING";
        }
        return switch (s) {
            case CONNECTED, RECONNECTED -> "CONNECTED";
            case SUSPENDED -> "CONNECTING";
            case EXPIRED, CLOSED -> "CLOSED";
        };
    }

    public String host() {
        return host;
    }

    public boolean printWatches() {
        return printWatches;
    }

    // ------------------------------------------------------------------ events

    /**
     * Where watch events are printed; each call gets one whole block ({@code \nWATCHER::\n\n...})
     * without the final line break. Null prints them on the shell's stdout.
     */
    public void setEventPrinter(Consumer<String> printer) {
        this.eventPrinter = printer == null ? this::printOnOut : printer;
    }

    private void printOnOut(String text) {
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }

    private void watchEvent(WatchedEvent event) {
        printEvent(event.toString());
    }

    private void stateChanged(ConnectionState state) {
        if (!printConnectionEvents) {
            return;
        }
        String keeperState = switch (state) {
            case CONNECTED, RECONNECTED -> "SyncConnected";
            case SUSPENDED -> "Disconnected";
            case EXPIRED -> "Expired";
            case CLOSED -> "Closed";
        };
        printEvent(noneEvent(keeperState));
    }

    /** A connection event as ZooKeeper's WatchedEvent prints it. */
    static String noneEvent(String keeperState) {
        return "WatchedEvent state:" + keeperState + " type:None path:null zxid: -1";
    }

    /** zkCli's printMessage twice: a blank line, WATCHER::, a blank line, the event. */
    void printEvent(String event) {
        if (printWatches) {
            String nl = System.lineSeparator();
            eventPrinter.accept(nl + "WATCHER::" + nl + nl + event);
        }
    }
}
