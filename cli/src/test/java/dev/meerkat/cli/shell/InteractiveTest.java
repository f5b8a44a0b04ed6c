package dev.meerkat.cli.shell;

import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The interactive shell: a session typed line by line (watch events printed as zkCli prints
 * them, history, redo, printwatches, close and connect), the jline console on a test terminal,
 * and a script on standard input.
 */
class InteractiveTest extends ShellTestBase {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private ShellSession session;

    @BeforeEach
    void connect() throws InterruptedException {
        session = new ShellSession(server.connectString());
    }

    @AfterEach
    void close() throws InterruptedException {
        session.close();
    }

    /** The lines zkCli prints for a watch event: a blank line, WATCHER::, a blank line, the event. */
    private static Pattern watcherBlock(String type, String path, boolean serverEvent) {
        String zxid = serverEvent ? "[1-9][0-9]*" : "-1";
        return Pattern.compile("(?m)^\\R?^WATCHER::\\R\\R^WatchedEvent state:SyncConnected type:" + type + " path:"
                + Pattern.quote(path) + " zxid: " + zxid + "$");
    }

    private void awaitOut(Pattern pattern) {
        await().atMost(WAIT).until(() -> pattern.matcher(session.out()).find());
    }

    @Test
    void theConnectionIsAnnouncedAndThePromptShowsItsState() {
        await().atMost(WAIT).until(() -> session.out().equals(String.format(
                "%nWATCHER::%n%nWatchedEvent state:SyncConnected type:None path:null zxid: -1%n")));
        assertThat(session.shell.prompt()).isEqualTo("[zk: " + server.connectString() + "(CONNECTED) 0] ");
    }

    @Test
    void aDataWatchPrintsTheEventWhenTheDataChanges() throws InterruptedException {
        String zkbook = p("zkbook");
        session.type("create " + zkbook + " data1");
        session.type("get -w " + zkbook);
        session.type("set " + zkbook + " data2");
        awaitOut(watcherBlock("NodeDataChanged", zkbook, true));
        assertThat(session.errLines()).containsExactly("Created " + zkbook);
        assertThat(session.outLines()).contains("data1");
        // one-shot: a second change is not reported
        session.clear();
        session.type("set " + zkbook + " data3");
        session.type("get " + zkbook);
        assertThat(session.outLines()).containsExactly("data3");
        assertThat(session.shell.prompt()).endsWith("(CONNECTED) 5] ");
    }

    @Test
    void childExistsAndPersistentWatches() throws InterruptedException {
        session.type("ls -w " + base);
        session.type("stat -w " + p("later"));
        session.type("create " + p("later"));
        awaitOut(watcherBlock("NodeChildrenChanged", base, true));
        awaitOut(watcherBlock("NodeCreated", p("later"), true));
        assertThat(session.errLines()).containsExactly("Node does not exist: " + p("later"), "Created " + p("later"));

        session.clear();
        session.type("addWatch " + base);
        session.type("create " + p("later/deep") + " x");
        session.type("set " + p("later/deep") + " y");
        session.type("delete " + p("later/deep"));
        awaitOut(watcherBlock("NodeCreated", p("later/deep"), true));
        awaitOut(watcherBlock("NodeDataChanged", p("later/deep"), true));
        awaitOut(watcherBlock("NodeDeleted", p("later/deep"), true));
        session.type("removewatches " + base);
        awaitOut(watcherBlock("PersistentWatchRemoved", base, false));
        assertThat(session.shell.exitCode()).isZero();

        session.type("removewatches " + base);
        assertThat(session.errLines()).contains("KeeperErrorCode = No such watcher for " + base);
        assertThat(session.shell.exitCode()).isEqualTo(1);
    }

    @Test
    void printwatchesOffSilencesEvents() throws Exception {
        session.type("printwatches off");
        session.type("printwatches");
        session.type("get -w " + base);
        session.type("set " + base + " x");
        session.drainEvents();
        session.type("printwatches on");
        session.type("get -w " + base);
        session.type("set " + base + " y");
        awaitOut(watcherBlock("NodeDataChanged", base, true));
        // the first change came while printing was off: only the second one shows
        assertThat(watcherBlock("NodeDataChanged", base, true).matcher(session.out()).results().count()).isEqualTo(1);
        assertThat(session.outLines()).contains("printwatches is off");
    }

    @Test
    void historyAndRedo() throws InterruptedException {
        session.type("create " + p("a") + " x");
        session.type("ls " + base);
        session.type("history");
        assertThat(session.outLines()).containsSubsequence(
                "[a]", "0 - create " + p("a") + " x", "1 - ls " + base, "2 - history");

        session.clear();
        session.type("redo 1");
        assertThat(session.outLines()).containsExactly("[a]");
        session.type("redo 99");
        assertThat(session.errLines()).containsExactly("Command index out of range");
        session.type("redo 4");
        assertThat(session.errLines()).containsExactly("Command index out of range", "No redoing redos");
        session.clear();
        session.type("history");
        assertThat(session.outLines()).containsExactly(
                "0 - create " + p("a") + " x", "1 - ls " + base, "2 - history", "3 - ls " + base,
                "4 - redo 99", "5 - redo 4", "6 - history");
        // blank lines are not commands
        session.type("");
        session.type("   ");
        assertThat(session.shell.prompt()).endsWith(" 7] ");
    }

    @Test
    void quotedWordsKeepTheirSpaces() throws InterruptedException {
        session.type("create " + p("q") + " \"hello world\"");
        session.type("get " + p("q"));
        session.type("set " + p("q") + " 'it is'");
        session.type("get " + p("q"));
        assertThat(session.outLines()).containsSubsequence("hello world", "it is");
    }

    @Test
    void closeThenConnectAgain() throws InterruptedException {
        session.type("close");
        assertThat(session.out()).contains(String.format("%nWATCHER::%n%nWatchedEvent state:Closed type:None path:null zxid: -1%n"));
        assertThat(session.shell.prompt()).isEqualTo("[zk: " + server.connectString() + "(CLOSED) 1] ");
        session.clear();
        session.type("ls " + base);
        assertThat(session.outLines()).containsExactly("Not connected");

        session.clear();
        session.type("connect " + server.connectString());
        await().atMost(WAIT).until(() -> session.out().contains("WatchedEvent state:SyncConnected type:None"));
        session.type("ls " + base);
        assertThat(session.outLines()).contains("[]");
        assertThat(session.shell.prompt()).endsWith("(CONNECTED) 4] ");

        assertThat(session.type("quit")).isFalse();
        assertThat(session.out()).contains("WatchedEvent state:Closed type:None path:null zxid: -1");
    }

    @Test
    void exitCodeIsTheLastCommands() throws InterruptedException {
        session.type("get " + p("nope"));
        assertThat(session.shell.exitCode()).isEqualTo(1);
        assertThat(session.errLines()).containsExactly("Node does not exist: " + p("nope"));
        session.type("ls " + base);
        assertThat(session.shell.exitCode()).isZero();
        session.type("bogus");
        assertThat(session.shell.exitCode()).isEqualTo(127);
    }

    @Test
    void theJlineConsoleOnATestTerminal(@TempDir Path home) throws Exception {
        ScriptedInput keys = new ScriptedInput();
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        PrintStream printed = new PrintStream(screen, true, StandardCharsets.UTF_8);
        Path history = home.resolve(ShellMain.HISTORY_FILE);
        String zkbook = p("zkbook");
        try (Terminal terminal = TerminalBuilder.builder().system(false).dumb(true).type("dumb")
                .streams(keys, screen).encoding(StandardCharsets.UTF_8).build()) {
            Shell shell = new Shell(printed, printed, Integer.parseInt(TIMEOUT_MS), true);
            assertThat(shell.connect(server.connectString())).isTrue();
            CompletableFuture<Integer> console = CompletableFuture.supplyAsync(() -> {
                try {
                    return Console.interactive(shell, terminal, history);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            keys.type("create " + zkbook + " data1\n");
            await().atMost(WAIT).until(() -> screen.toString(StandardCharsets.UTF_8).contains("Created " + zkbook));
            keys.type("get -w " + zkbook + "\n");
            await().atMost(WAIT).until(() -> screen.toString(StandardCharsets.UTF_8).contains("data1"));
            keys.type("set " + zkbook + " data2\n");
            await().atMost(WAIT).until(() -> screen.toString(StandardCharsets.UTF_8)
                    .contains("WatchedEvent state:SyncConnected type:NodeDataChanged path:" + zkbook));
            // an apostrophe is an ordinary character, not the start of a quote that jline would continue
            keys.type("set " + zkbook + " it's\n");
            keys.type("get " + zkbook + "\n");
            // this terminal does not echo what is typed, so the output follows the prompt
            Pattern dataLine = Pattern.compile("(?m)\\] it's\\r?$");
            await().atMost(WAIT).until(() -> dataLine.matcher(screen.toString(StandardCharsets.UTF_8)).find());
            keys.type("quit\n");
            assertThat(console.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
            String screenText = screen.toString(StandardCharsets.UTF_8);
            assertThat(screenText).contains("[zk: " + server.connectString() + "(CONNECTED) 0] ");
            assertThat(screenText).contains("[zk: " + server.connectString() + "(CONNECTED) 2] ");
            assertThat(screenText).contains("WATCHER::");
        }
        assertThat(Files.readString(history)).contains("create " + zkbook + " data1", "get -w " + zkbook, "quit");
    }

    @Test
    void aScriptOnStandardInput() {
        String script = String.join("\n",
                "create " + p("s") + " one",
                "get " + p("s"),
                "get " + p("nope"),
                "quit") + "\n";
        Result r = runArgs(List.of("-server", server.connectString(), "-timeout", TIMEOUT_MS),
                new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)));
        assertThat(r.outLines()).containsExactly(
                "Connecting to " + server.connectString(),
                "Welcome to Meerkat!",
                "JLine support is disabled",
                "",
                "WATCHER::",
                "",
                "WatchedEvent state:SyncConnected type:None path:null zxid: -1",
                "one",
                "",
                "WATCHER::",
                "",
                "WatchedEvent state:Closed type:None path:null zxid: -1");
        assertThat(r.errLines()).containsExactly("Created " + p("s"), "Node does not exist: " + p("nope"));
        // as zkCli: quit leaves the exit code of the command before it
        assertThat(r.exitCode()).isEqualTo(1);
    }
}
