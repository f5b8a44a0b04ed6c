package dev.meerkat.server.net;

import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.record.ExistsRequest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * maxClientCnxns (zk-protocol.md §2.3): past the per-address cap the server closes new sockets,
 * and a slot freed by a closed connection can be used again.
 *
 * <p>Not covered: dropping a connection that never sends a handshake. ZooKeeper does that after
 * 10 s (zookeeper.nio.sessionlessCnxnTimeout), a fixed constant in Meerkat too, and waiting that
 * long would dominate the run time of this package.
 */
class ConnectionLimitTest {
    private static final int CAP = 3;

    @Test
    void connectionBeyondTheCapIsClosedAndAFreedSlotCanBeReused() throws IOException {
        try (TestServer server = TestServer.settings().maxClientCnxns(CAP).start()) {
            List<RawClient> open = new ArrayList<>();
            try {
                for (int i = 0; i < CAP; i++) {
                    RawClient c = RawClient.connect(server.port());
                    open.add(c);
                    assertThat(c.handshake().sessionId()).isNotZero();
                }

                assertRefused(server);
                assertRefused(server);
                for (RawClient c : open) {
                    assertUsable(c);
                }

                open.remove(0).close();
                // the server notices the close asynchronously, so the slot frees up a moment later
                RawClient replacement = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                        .until(() -> tryHandshake(server), c -> c != null);
                open.add(replacement);
                assertUsable(replacement);

                assertRefused(server);
            } finally {
                open.forEach(RawClient::close);
            }
        }
    }

    @Test
    void fourLetterWordConnectionsCountTowardsTheCapToo() throws IOException {
        try (TestServer server = TestServer.settings().maxClientCnxns(1).start()) {
            try (RawClient only = RawClient.connect(server.port())) {
                only.handshake();
                assertThat(askQuietly(server, "srvr")).isEmpty();
                assertUsable(only);
            }
        }
    }

    /** What a four-letter word gets back on a connection that may be refused at any point. */
    private static String askQuietly(TestServer server, String word) {
        try {
            return FourLetterWordTest.ask(server, word);
        } catch (IOException e) {
            return "";
        }
    }

    /** A new connection that gets its handshake answered, or null if the server refused it. */
    private static RawClient tryHandshake(TestServer server) {
        RawClient c;
        try {
            c = RawClient.connect(server.port());
        } catch (IOException e) {
            return null;
        }
        try {
            c.sendRecords(RawClient.newSession(30_000));
            if (c.readFrame() != null) {
                return c;
            }
        } catch (IOException e) {
            // refused: reset while writing
        }
        c.close();
        return null;
    }

    private static void assertRefused(TestServer server) throws IOException {
        RawClient c;
        try {
            c = RawClient.connect(server.port());
        } catch (IOException e) {
            return; // closed so quickly that the connect itself saw it
        }
        try (c) {
            try {
                c.sendRecords(RawClient.newSession(30_000));
            } catch (IOException e) {
                return;
            }
            assertThat(c.readUntilClosed()).as("a connection beyond the cap of %d gets nothing", CAP).isEmpty();
        }
    }

    private static void assertUsable(RawClient c) throws IOException {
        c.send(1, OpCode.EXISTS, new ExistsRequest("/", false));
        RawClient.Reply reply = c.readReply();
        assertThat(reply.xid()).isEqualTo(1);
        assertThat(reply.err()).isZero();
    }
}
