package dev.meerkat.cli.shell;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code meerkat cli -server HOST:PORT cmd args}: every command in one-shot mode, with zkCli 3.9.5's
 * output on stdout and stderr and its exit code, against Meerkat and against ZooKeeper. The
 * variations of a command (its other options, its errors) run in one session ({@link #shell}),
 * which prints the same and leaves the same exit codes, so that the suite stays quick.
 */
class OneShotTest extends ShellTestBase {
    private ShellSession shell;

    @BeforeEach
    void openSession() throws InterruptedException {
        shell = new ShellSession(server.connectString());
    }

    @AfterEach
    void closeSession() throws InterruptedException {
        shell.close();
    }

    private Result typed(String line) throws InterruptedException {
        return shell.run(line);
    }

    @Test
    void createPrintsCreatedOnStderrAndGetPrintsTheData() throws Exception {
        Result created = run("create", p("a"), "hello");
        assertThat(created.exitCode()).isZero();
        assertThat(created.out()).isEmpty();
        assertThat(created.errLines()).containsExactly("Created " + p("a"));

        Result get = run("get", p("a"));
        assertThat(get.exitCode()).isZero();
        assertThat(get.outLines()).containsExactly("hello");
        assertThat(get.err()).isEmpty();

        assertFails(run("create", p("a")), 1, "Node already exists: " + p("a"));
        assertFails(run("get", p("nope")), 1, "Node does not exist: " + p("nope"));
    }

    @Test
    void createModes() throws Exception {
        assertThat(typed("create -s " + p("seq-") + " x").errLines()).containsExactly("Created " + p("seq-0000000000"));
        assertThat(typed("create -s " + p("seq-")).errLines()).containsExactly("Created " + p("seq-0000000001"));
        assertThat(typed("create -c " + p("container")).errLines()).containsExactly("Created " + p("container"));
        assertThat(typed("create -t 60000 " + p("ttl") + " x").errLines()).containsExactly("Created " + p("ttl"));
        assertThat(typed("create -s -t 60000 " + p("ttlseq-")).errLines()).containsExactly("Created " + p("ttlseq-0000000004"));
        assertThat(typed("create -e " + p("eph")).errLines()).containsExactly("Created " + p("eph"));
        assertThat(typed("create -se " + p("es-")).errLines()).containsExactly("Created " + p("es-0000000006"));
        assertThat(typed("create -c " + p("container") + "/in").exitCode()).isZero();
        assertThat(typed("ls " + base).outLines()).containsExactly(
                "[container, eph, es-0000000006, seq-0000000000, seq-0000000001, ttl, ttlseq-0000000004]");
        shell.close();
        // the ephemerals ended with their session
        assertThat(run("ls", base).outLines()).containsExactly(
                "[container, seq-0000000000, seq-0000000001, ttl, ttlseq-0000000004]");
    }

    @Test
    void createRefusesBadArgumentsInZkClisWords() throws Exception {
        assertFails(run("create", "-c", "-e", p("x")), 1,
                "-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.");
        assertFails(typed("create -t abc " + p("x")), 1, "-t argument must be a long value");
        assertFails(typed("create -t 5 -e " + p("x")), 1, "TTLs cannot be used with Ephemeral znodes");
        assertFails(typed("create -t 5 -c " + p("x")), 1, "TTLs cannot be used with Container znodes");
        assertFails(typed("create -t 0 " + p("x")), 1, "ttl must be positive and cannot be larger than: 1099511627775");
        assertFails(typed("create " + p("x") + " d foo"), 1,
                "foo does not have the form scheme:id:perm", "KeeperErrorCode = InvalidACL", "Acl is not valid : null");
        assertFails(typed("create"), 1, "create [-s] [-e] [-c] [-t ttl] path [data] [acl]");
        assertFails(typed("create nopath"), 1, "Path must start with / character");
        assertFails(typed("create " + p("x/")), 1, "Path must not end with / character");
        assertFails(typed("create " + p("no/parent")), 1, "Node does not exist: " + p("no/parent"));
        assertFails(typed("create -z " + p("x")), 1,
                "org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -z");
    }

    @Test
    void lsListsSortedChildrenWithStatOrRecursively() throws Exception {
        create(p("b"));
        create(p("a"));
        create(p("a/y"));
        create(p("a/x"));
        Result ls = run("ls", base);
        assertThat(ls.exitCode()).isZero();
        assertThat(ls.outLines()).containsExactly("[a, b]");
        assertThat(ls.err()).isEmpty();
        assertThat(typed("ls " + p("b")).outLines()).containsExactly("[]");

        Result withStat = typed("ls -s " + base);
        assertThat(withStat.outLines().get(0)).isEqualTo("[a, b]");
        assertStatBlock(withStat.outLines().subList(1, 12), 0, 0, 2);

        assertThat(typed("ls -R " + base).outLines()).containsExactly(base, p("a"), p("b"), p("a/x"), p("a/y"));
        assertFails(typed("ls"), 1, "ls [-s] [-w] [-R] path");
        assertFails(typed("ls " + p("nope")), 1, "Node does not exist: " + p("nope"));
        assertFails(typed("ls -R " + p("nope")), 1, "Node does not exist: " + p("nope"));
        Result help = typed("ls -? " + base);
        assertThat(help.outLines()).containsExactly(
                "usage: ls [options] path", " -?   help", " -R   recurse", " -s   stat", " -w   watch", "[a, b]");
    }

    @Test
    void getWithStatBase64AndHexDump() throws Exception {
        create(p("a"), "data3");
        Result get = run("get", "-s", p("a"));
        assertThat(get.exitCode()).isZero();
        assertThat(get.outLines().get(0)).isEqualTo("data3");
        assertStatBlock(get.outLines().subList(1, 12), 0, 5, 0);

        assertThat(typed("get -b " + p("a")).outLines()).containsExactly("ZGF0YTM=");
        assertThat(typed("get -x " + p("a")).outLines()).containsExactly(
                "         +-------------------------------------------------+",
                "         |  0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f |",
                "+--------+-------------------------------------------------+----------------+",
                "|00000000| 64 61 74 61 33                                  |data3           |",
                "+--------+-------------------------------------------------+----------------+");
        // a node created without data holds null, which zkCli prints as the word
        create(p("empty"));
        assertThat(typed("get " + p("empty")).outLines()).containsExactly("null");

        Result usage = typed("get");
        assertThat(usage.exitCode()).isEqualTo(1);
        assertThat(usage.errLines()).containsExactly(
                "get [-s] [-w] [-b] [-x] path",
                " -b   Output data in base64 format",
                " -s   Print znode stats additionally",
                " -w   Watch for changes on the znode",
                " -x   Output data in hexdump format",
                "");
    }

    @Test
    void setWithVersionAndStat() throws Exception {
        create(p("a"), "v0");
        Result set = run("set", p("a"), "v1");
        assertThat(set.exitCode()).isZero();
        assertThat(set.out()).isEmpty();
        assertThat(set.err()).isEmpty();

        Result withStat = typed("set -s -v 1 " + p("a") + " v2");
        assertThat(withStat.exitCode()).isZero();
        assertStatBlock(withStat.outLines(), 2, 2, 0);
        // options may follow the arguments, as zkCli's usage line shows
        assertThat(typed("set " + p("a") + " v3 -v 2").exitCode()).isZero();
        assertFails(run("set", "-v", "9", p("a"), "v4"), 1, "version No is not valid : " + p("a"));
        String binary = Base64.getEncoder().encodeToString("binary".getBytes(StandardCharsets.UTF_8));
        assertThat(typed("set -b " + p("a") + " " + binary).exitCode()).isZero();
        assertThat(typed("get " + p("a")).outLines()).containsExactly("binary");
        assertFails(typed("set " + p("nope") + " x"), 1, "Node does not exist: " + p("nope"));
        assertFails(typed("set -v x " + p("a") + " y"), 1, "-v argument must be an int value");
        assertFails(typed("set " + p("a") + " x -v"), 1,
                "org.apache.commons.cli.MissingArgumentException: Missing argument for option: v");
        assertThat(typed("set " + p("a")).errLines()).containsExactly(
                "set path data [-s] [-v version] [-b]",
                " -b         Supply data in base64 format",
                " -s         Print znode stats additionally",
                " -v <arg>   Set with an expected version",
                "");
    }

    @Test
    void deleteAndDeleteall() throws Exception {
        create(p("a"), "x");
        create(p("a/b"));
        create(p("a/b/c"));
        assertFails(run("delete", p("a")), 1, "Node not empty: " + p("a"));
        assertFails(typed("delete -v 3 " + p("a/b/c")), 1, "version No is not valid : " + p("a/b/c"));
        Result deleted = run("delete", "-v", "0", p("a/b/c"));
        assertThat(deleted.exitCode()).isZero();
        assertThat(deleted.out() + deleted.err()).isEmpty();
        assertFails(typed("delete " + p("a/b/c")), 1, "Node does not exist: " + p("a/b/c"));
        assertFails(typed("delete /"), 1, "Arguments are not valid : /");

        create(p("a/b/c"));
        create(p("a/d"));
        Result all = run("deleteall", p("a"));
        assertThat(all.exitCode()).isZero();
        assertThat(all.out() + all.err()).isEmpty();
        assertThat(typed("ls " + base).outLines()).containsExactly("[]");
        assertFails(typed("deleteall " + p("a")), 1, "Node does not exist: " + p("a"));
        assertFails(typed("deleteall"), 1, "deleteall path [-b batch size]");
        create(p("e"));
        create(p("e/f"));
        assertThat(typed("deleteall " + p("e") + " -b 1").exitCode()).isZero();
        assertThat(typed("ls " + base).outLines()).containsExactly("[]");
    }

    @Test
    void statAndSync() throws Exception {
        create(p("a"), "xyz");
        create(p("a/b"));
        Result stat = run("stat", p("a"));
        assertThat(stat.exitCode()).isZero();
        assertStatBlock(stat.outLines(), 0, 3, 1);
        assertFails(typed("stat " + p("nope")), 1, "Node does not exist: " + p("nope"));
        assertFails(typed("stat"), 1, "stat [-w] path");

        Result sync = run("sync", base);
        assertThat(sync.exitCode()).isZero();
        assertThat(sync.outLines()).containsExactly("Sync is OK");
        assertFails(typed("sync"), 1, "sync path");
        assertFails(typed("sync -x " + base), 1,
                "org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -x");
    }

    @Test
    void countsAndEphemerals() throws Exception {
        create(p("a"));
        create(p("a/b"));
        create(p("a/b/c"));
        Result count = run("getAllChildrenNumber", p("a"));
        assertThat(count.exitCode()).isZero();
        assertThat(count.outLines()).containsExactly("2");
        assertFails(typed("getAllChildrenNumber"), 1, "getAllChildrenNumber path");
        assertFails(typed("getAllChildrenNumber " + p("nope")), 1, "Node does not exist: " + p("nope"));

        // a one-shot run is a session of its own, which holds no ephemerals
        Result ephemerals = run("getEphemerals", base);
        assertThat(ephemerals.exitCode()).isZero();
        assertThat(ephemerals.outLines()).containsExactly("[]");
        typed("create -e " + p("e1"));
        typed("create -e " + p("a/e2"));
        assertThat(typed("getEphemerals " + p("a")).outLines()).containsExactly("[" + p("a/e2") + "]");
        assertThat(typed("getEphemerals").outLines()).hasSize(1);
        assertThat(typed("getEphemerals").outLines().get(0)).contains(p("e1"), p("a/e2"));
        assertFails(typed("create " + p("e1") + "/child"), 1, "Ephemerals cannot have children: " + p("e1") + "/child");
    }

    @Test
    void aclCommands() throws Exception {
        create(p("a"), "x");
        Result acl = run("getAcl", p("a"));
        assertThat(acl.exitCode()).isZero();
        assertThat(acl.outLines()).containsExactly("'world,'anyone", ": cdrwa");
        Result withStat = typed("getAcl -s " + p("a"));
        assertThat(withStat.outLines().subList(0, 2)).containsExactly("'world,'anyone", ": cdrwa");
        assertStatBlock(withStat.outLines().subList(2, 13), 0, 1, 0);

        assertFails(typed("setAcl -v 7 " + p("a") + " world:anyone:cdrwa"), 1, "version No is not valid : " + p("a"));
        Result set = run("setAcl", "-s", "-v", "0", p("a"), "world:anyone:rw");
        assertThat(set.exitCode()).isZero();
        assertThat(set.outLines()).contains("aclVersion = 1");
        assertThat(typed("getAcl " + p("a")).outLines()).containsExactly("'world,'anyone", ": rw");
        // without ADMIN nobody may change it again
        assertFails(typed("setAcl " + p("a") + " world:anyone:rq"), 1, "Unknown perm type: q",
                "Insufficient permission : " + p("a"));

        create(p("r"));
        create(p("r/s"));
        assertThat(typed("setAcl -R " + p("r") + " world:anyone:cdr").exitCode()).isZero();
        assertThat(typed("getAcl " + p("r/s")).outLines()).containsExactly("'world,'anyone", ": cdr");
        assertFails(typed("setAcl " + p("nope") + " world:anyone:r"), 1, "Node does not exist: " + p("nope"));
        assertFails(typed("setAcl " + p("a")), 1, "setAcl [-s] [-v version] [-R] path acl");
        assertFails(typed("getAcl"), 1, "getAcl [-s] path");
        assertFails(typed("getAcl " + p("nope")), 1, "Node does not exist: " + p("nope"));
    }

    @Test
    void readOnlyAclRefusesWritesWithZkClisWords() throws Exception {
        assertThat(run("create", p("locked"), "x", "world:anyone:r").errLines()).containsExactly("Created " + p("locked"));
        assertFails(run("set", p("locked"), "y"), 1, "Insufficient permission : " + p("locked"));
        assertFails(typed("create " + p("locked/child")), 1, "Insufficient permission : " + p("locked/child"));
        assertThat(typed("get " + p("locked")).outLines()).containsExactly("x");
    }

    @Test
    void watchCommandsInOneShotMode() throws Exception {
        Result add = run("addWatch", base);
        assertThat(add.exitCode()).isZero();
        assertThat(add.out() + add.err()).isEmpty();
        assertThat(run("addWatch", "-m", "persistent", base).exitCode()).isZero();
        assertFails(run("addWatch", "-m", "bogus", base), 1, "addWatch [-m mode] path # optional mode is one of "
                + "[PERSISTENT, PERSISTENT_RECURSIVE] - default is PERSISTENT_RECURSIVE");
        // a new session has no watches to remove
        assertFails(run("removewatches", base), 1, "KeeperErrorCode = No such watcher for " + base);
        assertFails(run("removewatches"), 1, "removewatches path [-c|-d|-a] [-l]");
        Result getWatch = run("get", "-w", base);
        assertThat(getWatch.exitCode()).isZero();
        assertThat(getWatch.outLines()).containsExactly("null");
    }

    @Test
    void sessionCommands() throws Exception {
        Result who = run("whoami");
        assertThat(who.exitCode()).isZero();
        assertThat(who.outLines()).containsExactly("Auth scheme: User", "ip: 127.0.0.1");

        Result auth = run("addauth", "digest", "user:pass");
        assertThat(auth.exitCode()).isZero();
        assertThat(auth.out() + auth.err()).isEmpty();
        assertFails(typed("addauth"), 1, "addauth scheme auth");

        Result close = run("close");
        assertThat(close.exitCode()).isZero();
        assertThat(close.out() + close.err()).isEmpty();

        Result connect = run("connect", server.connectString());
        assertThat(connect.exitCode()).isZero();
        assertThat(connect.out() + connect.err()).isEmpty();

        Result quit = run("quit");
        assertThat(quit.exitCode()).isZero();
        assertThat(quit.out() + quit.err()).isEmpty();
    }

    @Test
    void localCommands() throws Exception {
        // as zkCli: the one-shot command is not numbered, so history holds nothing
        Result history = run("history");
        assertThat(history.exitCode()).isZero();
        assertThat(history.outLines()).containsExactly("0 - null");
        Result printwatches = run("printwatches");
        assertThat(printwatches.exitCode()).isZero();
        assertThat(printwatches.outLines()).containsExactly("printwatches is on");
        assertFails(run("redo", "0"), 1, "Command index out of range");
    }

    @Test
    void helpAndUnknownCommands() throws Exception {
        Result help = run("help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.outLines().get(0)).isEqualTo("ZooKeeper -server host:port cmd args");
        assertThat(help.outLines()).contains(
                "\taddWatch [-m mode] path # optional mode is one of [PERSISTENT, PERSISTENT_RECURSIVE] - default is PERSISTENT_RECURSIVE",
                "\tcreate [-s] [-e] [-c] [-t ttl] path [data] [acl]",
                "\tls [-s] [-w] [-R] path",
                "\tquit ",
                "\twhoami ");
        assertThat(help.outLines()).hasSize(23);

        Result unknown = run("nosuch", "/a");
        assertThat(unknown.exitCode()).isEqualTo(127);
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.errLines().get(0)).isEqualTo("ZooKeeper -server host:port cmd args");
        assertThat(unknown.errLines()).hasSize(24).endsWith("Command not found: Command not found nosuch");
    }

    @Test
    void anUnreachableServerFailsWithExitCodeOne() throws Exception {
        Result r = runArgs(List.of("-server", "127.0.0.1:1", "-timeout", "500", "get", "/a"), InputStream.nullInputStream());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("Unable to connect to 127.0.0.1:1: KeeperErrorCode = ConnectionLoss");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aChrootInTheConnectString() throws Exception {
        create(p("app"));
        create(p("app/config"), "c");
        Result r = runArgs(List.of("-server", server.connectString() + p("app"), "ls", "/"), InputStream.nullInputStream());
        assertThat(r.outLines()).containsExactly("[config]");
    }

    @Test
    void aScriptOnStandardInputRunsInOneSession() throws Exception {
        String script = "create -e " + p("e") + "\ngetEphemerals " + base + "\nquit\n";
        Result r = runArgs(List.of("-server", server.connectString(), "-timeout", TIMEOUT_MS),
                new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)));
        assertThat(r.errLines()).containsExactly("Created " + p("e"));
        assertThat(r.outLines()).contains("[" + p("e") + "]");
        assertThat(r.exitCode()).isZero();
    }

    private static void assertFails(Result r, int exitCode, String... errLines) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(exitCode);
        assertThat(r.errLines()).as(r.toString()).containsExactly(errLines);
    }
}
