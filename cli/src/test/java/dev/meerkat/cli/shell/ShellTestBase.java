package dev.meerkat.cli.shell;

import dev.meerkat.testkit.TestServer;

import dev.meerkat.client.MeerkatClient;
import dev.meerkat.client.MeerkatException;
import dev.meerkat.protocol.CreateMode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every test of a subclass against Meerkat and against Apache ZooKeeper 3.9.5, one server per
 * class and target. Each test works under a fresh node of its own ({@link #base}).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Target.class)
abstract class ShellTestBase {
    private static final AtomicInteger TEST_IDS = new AtomicInteger();
    /** Short enough that a test of a dead server does not wait long; long enough for a busy machine. */
    static final String TIMEOUT_MS = "10000";

    static TestServer server;
    /** A client for setting up nodes, so that runs of the shell are spent on what is tested. */
    static MeerkatClient admin;

    @Parameter
    Target target;

    /** A node made for this test alone. */
    String base;

    @BeforeParameterizedClassInvocation
    static void startServer(Target target) throws Exception {
        server = target.start();
        admin = MeerkatClient.connect(server.connectString()).get(10, TimeUnit.SECONDS);
    }

    @AfterParameterizedClassInvocation
    static void stopServer() {
        admin.close();
        server.close();
        server = null;
    }

    @BeforeEach
    final void makeBase() throws Exception {
        base = "/t" + TEST_IDS.incrementAndGet();
        create(base, null);
    }

    /** Creates a persistent node with an open ACL, as {@code create path [data]} would. */
    static void create(String path, String data) throws MeerkatException, InterruptedException {
        admin.sync().create(path, data == null ? null : data.getBytes(StandardCharsets.UTF_8), CreateMode.PERSISTENT);
    }

    static void create(String path) throws MeerkatException, InterruptedException {
        create(path, null);
    }

    /** What one run of {@code meerkat cli} printed and returned. */
    record Result(int exitCode, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }

        List<String> errLines() {
            return err.lines().toList();
        }
    }

    /** {@code meerkat cli -server <server> <command...>}: the one-shot mode. */
    static Result run(String... command) {
        List<String> args = new ArrayList<>(List.of("-server", server.connectString(), "-timeout", TIMEOUT_MS));
        args.addAll(List.of(command));
        return runArgs(args, InputStream.nullInputStream());
    }

    static Result runArgs(List<String> args, InputStream in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ShellMain.run(args, in, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The path {@code base/relative}. */
    String p(String relative) {
        return base + "/" + relative;
    }

    /** zkCli's eleven stat lines, as patterns: zxids in hex, dates as java.util.Date prints them. */
    static final String DATE = "\\w{3} \\w{3} \\d{2} \\d{2}:\\d{2}:\\d{2} \\S+ \\d{4}";

    static void assertStatBlock(List<String> lines, int version, int dataLength, int numChildren) {
        assertThat(lines).hasSize(11);
        assertThat(lines.get(0)).matches("cZxid = 0x[0-9a-f]+");
        assertThat(lines.get(1)).matches("ctime = " + DATE);
        assertThat(lines.get(2)).matches("mZxid = 0x[0-9a-f]+");
        assertThat(lines.get(3)).matches("mtime = " + DATE);
        assertThat(lines.get(4)).matches("pZxid = 0x[0-9a-f]+");
        assertThat(lines.get(5)).matches("cversion = \\d+");
        assertThat(lines.get(6)).isEqualTo("dataVersion = " + version);
        assertThat(lines.get(7)).matches("aclVersion = \\d+");
        assertThat(lines.get(8)).matches("ephemeralOwner = 0x[0-9a-f]+");
        assertThat(lines.get(9)).isEqualTo("dataLength = " + dataLength);
        assertThat(lines.get(10)).isEqualTo("numChildren = " + numChildren);
    }
}
