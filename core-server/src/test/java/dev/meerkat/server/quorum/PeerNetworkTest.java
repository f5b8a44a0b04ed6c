package dev.meerkat.server.quorum;

import dev.meerkat.server.zab.Message;
import dev.meerkat.server.zab.Proposal;
import dev.meerkat.server.zab.Snapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(60)
class PeerNetworkTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** Where a peer is before the test knows its port: dialling it fails at once. */
    private static final InetSocketAddress NOWHERE = new InetSocketAddress(LOOPBACK, 0);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        Collections.reverse(toClose);
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    /** Records what a network reports. */
    static final class Recorder implements PeerNetwork.Listener {
        final Map<Integer, List<PeerMessage>> received = new ConcurrentHashMap<>();
        final List<Integer> disconnects = new CopyOnWriteArrayList<>();
        volatile Thread callbackThread;

        @Override
        public void received(int from, PeerMessage m) {
            callbackThread = Thread.currentThread();
            received.computeIfAbsent(from, k -> Collections.synchronizedList(new ArrayList<>())).add(m);
        }

        @Override
        public void disconnected(int peer) {
            disconnects.add(peer);
        }

        List<PeerMessage> from(int id) {
            List<PeerMessage> l = received.get(id);
            if (l == null) {
                return List.of();
            }
            synchronized (l) {
                return new ArrayList<>(l);
            }
        }

        /** The seq numbers of the Pings received from {@code id}, in order. */
        List<Long> pingsFrom(int id) {
            List<Long> seqs = new ArrayList<>();
            for (PeerMessage m : from(id)) {
                if (m instanceof PeerMessage.Zab z && z.message() instanceof Message.Ping p) {
                    seqs.add(p.seq());
                }
            }
            return seqs;
        }
    }

    private static PeerMessage ping(long session, long seq) {
        return new PeerMessage.Zab(new Message.Ping(session, seq));
    }

    private PeerNetwork network(int id, InetSocketAddress bind, Map<Integer, InetSocketAddress> peers, Recorder r)
            throws InterruptedException {
        PeerNetwork n = new PeerNetwork(id, bind, peers, r);
        toClose.add(n);
        n.start();
        return n;
    }

    /** Servers 1..n on port 0, each told the others' ports, plus {@code extraPeers} every one of them knows. */
    private List<PeerNetwork> ensemble(Recorder[] recorders, Map<Integer, InetSocketAddress> extraPeers)
            throws InterruptedException {
        int n = recorders.length;
        List<PeerNetwork> nets = new ArrayList<>();
        for (int id = 1; id <= n; id++) {
            Map<Integer, InetSocketAddress> peers = new HashMap<>(extraPeers);
            for (int other = 1; other <= n; other++) {
                if (other != id) {
                    peers.put(other, NOWHERE);
                }
            }
            nets.add(network(id, new InetSocketAddress(LOOPBACK, 0), peers, recorders[id - 1]));
        }
        for (PeerNetwork net : nets) {
            for (int other = 1; other <= n; other++) {
                if (net != nets.get(other - 1)) {
                    net.updatePeer(other, new InetSocketAddress(LOOPBACK, nets.get(other - 1).boundPort()));
                }
            }
        }
        awaitMesh(nets);
        return nets;
    }

    private static void awaitMesh(List<PeerNetwork> nets) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (int a = 0; a < nets.size(); a++) {
                for (int b = 0; b < nets.size(); b++) {
                    if (a != b && !nets.get(a).isConnected(b + 1)) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    private static Recorder[] recorders(int n) {
        Recorder[] r = new Recorder[n];
        for (int i = 0; i < n; i++) {
            r[i] = new Recorder();
        }
        return r;
    }

    @Test
    void messagesArriveInOrderPerPairFromTheRightSender() throws Exception {
        Recorder[] r = recorders(3);
        List<PeerNetwork> nets = ensemble(r, Map.of());
        int count = 5000;
        // Every server sends to both others at once, from its own thread, interleaving the two streams.
        List<Thread> senders = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            int me = id;
            Thread t = new Thread(() -> {
                for (int i = 0; i < count; i++) {
                    for (int to = 1; to <= 3; to++) {
                        if (to != me) {
                            nets.get(me - 1).send(to, ping(me * 100 + to, i));
                        }
                    }
                }
            });
            senders.add(t);
            t.start();
        }
        for (Thread t : senders) {
            t.join();
        }
        List<Long> expected = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            expected.add(i);
        }
        for (int to = 1; to <= 3; to++) {
            for (int from = 1; from <= 3; from++) {
                if (from == to) {
                    continue;
                }
                Recorder rec = r[to - 1];
                int sender = from;
                await().atMost(Duration.ofSeconds(20)).until(() -> rec.pingsFrom(sender).size() >= count);
                assertThat(rec.pingsFrom(sender)).isEqualTo(expected);
                for (PeerMessage m : rec.from(sender)) {
                    // The session field says who sent it to whom: 'from' is reported truthfully.
                    assertThat(((Message.Ping) ((PeerMessage.Zab) m).message()).session()).isEqualTo(sender * 100 + to);
                }
            }
            assertThat(r[to - 1].received).doesNotContainKey(to);
        }
        Thread callback = r[0].callbackThread;
        assertThat(callback.getName()).startsWith("meerkat-peer");
        assertThat(callback.isDaemon()).isTrue();
        for (Recorder rec : r) {
            assertThat(rec.disconnects).isEmpty();
        }
    }

    @Test
    void aPeerThatStartsLateIsReachedOnceItIsUp() throws Exception {
        InetSocketAddress late;
        try (ServerSocket reserve = new ServerSocket(0, 1, LOOPBACK)) {
            late = new InetSocketAddress(LOOPBACK, reserve.getLocalPort());
        }
        Recorder r1 = new Recorder();
        Recorder r3 = new Recorder();
        PeerNetwork n1 = network(1, new InetSocketAddress(LOOPBACK, 0), Map.of(3, late), r1);
        for (int i = 0; i < 100; i++) {
            n1.send(3, ping(1, i)); // nobody there: dropped, and a connect attempted now and then
        }
        assertThat(n1.isConnected(3)).isFalse();

        PeerNetwork n3 = network(3, late, Map.of(1, new InetSocketAddress(LOOPBACK, n1.boundPort())), r3);
        // No sends needed: the background reconnect finds it.
        await().atMost(Duration.ofSeconds(5)).until(() -> n1.isConnected(3) && n3.isConnected(1));
        for (int i = 100; i < 200; i++) {
            n1.send(3, ping(1, i));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> r3.pingsFrom(1).size() >= 100);
        assertThat(r3.pingsFrom(1)).first().isEqualTo(100L);
        assertThat(r3.pingsFrom(1)).hasSize(100).isSorted();
    }

    @Test
    void sendsKeepRetryingAPeerThatIsDown() throws Exception {
        InetSocketAddress late;
        try (ServerSocket reserve = new ServerSocket(0, 1, LOOPBACK)) {
            late = new InetSocketAddress(LOOPBACK, reserve.getLocalPort());
        }
        Recorder r2 = new Recorder();
        PeerNetwork n1 = network(1, new InetSocketAddress(LOOPBACK, 0), Map.of(2, late), new Recorder());
        network(2, late, Map.of(1, new InetSocketAddress(LOOPBACK, n1.boundPort())), r2);
        // As ZAB does: keep sending until something gets through.
        long[] seq = {0};
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> {
            n1.send(2, ping(1, seq[0]++));
            return !r2.pingsFrom(1).isEmpty();
        });
        assertThat(r2.pingsFrom(1)).isSorted();
    }

    @Test
    void closingAServerIsNoticedAtOnceAndARestartOnANewPortRestoresTraffic() throws Exception {
        Recorder[] r = recorders(3);
        List<PeerNetwork> nets = ensemble(r, Map.of());
        long closedAt = System.nanoTime();
        nets.get(2).close();
        await().atMost(Duration.ofSeconds(2)).until(() -> r[0].disconnects.contains(3) && r[1].disconnects.contains(3));
        assertThat(Duration.ofNanos(System.nanoTime() - closedAt)).isLessThan(Duration.ofSeconds(2));
        assertThat(nets.get(0).isConnected(3)).isFalse();
        assertThat(r[0].disconnects).containsOnly(3);
        assertThat(r[1].disconnects).containsOnly(3);

        Recorder r3 = new Recorder();
        PeerNetwork again = network(3, new InetSocketAddress(LOOPBACK, 0), Map.of(
                1, new InetSocketAddress(LOOPBACK, nets.get(0).boundPort()),
                2, new InetSocketAddress(LOOPBACK, nets.get(1).boundPort())), r3);
        InetSocketAddress moved = new InetSocketAddress(LOOPBACK, again.boundPort());
        nets.get(0).updatePeer(3, moved);
        nets.get(1).updatePeer(3, moved);
        List<PeerNetwork> mesh = List.of(nets.get(0), nets.get(1), again);
        awaitMesh(mesh);
        for (int i = 0; i < 10; i++) {
            nets.get(0).send(3, ping(1, i));
            again.send(1, ping(3, i));
            again.send(2, ping(3, i));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> r3.pingsFrom(1).size() == 10
                && r[0].pingsFrom(3).size() == 10 && r[1].pingsFrom(3).size() == 10);
        // Server 1 and 2 hear from 3 only: no spurious disconnection while 3 came back.
        assertThat(r[0].disconnects).containsOnly(3);
    }

    @Test
    void badInboundConnectionsAreClosedAndOnlyThey() throws Exception {
        Recorder[] r = recorders(2);
        // Every server also knows a server 4 that never runs, so a raw socket can pass for it.
        List<PeerNetwork> nets = ensemble(r, Map.of(4, NOWHERE));
        int port = nets.get(0).boundPort();

        assertClosedBy(port, out -> hello(out, 0xCAFEBABE, 1, 2)); // wrong magic
        assertClosedBy(port, out -> hello(out, PeerNetwork.HELLO_MAGIC, 99, 2)); // unknown version
        assertClosedBy(port, out -> hello(out, PeerNetwork.HELLO_MAGIC, PeerNetwork.HELLO_VERSION, 77)); // not a peer
        assertClosedBy(port, out -> hello(out, PeerNetwork.HELLO_MAGIC, PeerNetwork.HELLO_VERSION, 1)); // itself
        assertClosedBy(port, out -> {
            out.writeInt(1 << 20); // a first frame far larger than a hello
            out.write(new byte[64]);
        });
        assertClosedBy(port, out -> out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes()));
        // After a good hello: a garbage message, an unknown type, an oversize and a negative length.
        assertClosedBy(port, out -> {
            hello(out, PeerNetwork.HELLO_MAGIC, PeerNetwork.HELLO_VERSION, 4);
            out.writeInt(5);
            out.write(new byte[] {(byte) PeerCodec.SYNC_REQUEST, 1, 2, 3, 4});
        });
        assertClosedBy(port, out -> {
            hello(out, PeerNetwork.HELLO_MAGIC, PeerNetwork.HELLO_VERSION, 4);
            out.writeInt(1);
            out.write(200);
        });
        assertClosedBy(port, out -> {
            hello(out, PeerNetwork.HELLO_MAGIC, PeerNetwork.HELLO_VERSION, 4);
            out.writeInt(PeerNetwork.MAX_FRAME + 1);
        });
        assertClosedBy(port, out -> {
            hello(out, PeerNetwork.HELLO_MAGIC, PeerNetwork.HELLO_VERSION, 4);
            out.writeInt(-1);
        });

        // A well-formed message from the pretender is delivered as server 4's; a valid connection stays open.
        try (Socket s = new Socket(LOOPBACK, port)) {
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            hello(out, PeerNetwork.HELLO_MAGIC, PeerNetwork.HELLO_VERSION, 4);
            io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.buffer();
            PeerCodec.encode(new PeerMessage.SyncRequest(9, 9), b);
            out.writeInt(b.readableBytes());
            out.write(io.netty.buffer.ByteBufUtil.getBytes(b));
            out.flush();
            await().atMost(Duration.ofSeconds(5)).until(() -> r[0].from(4).size() == 1);
            assertThat(r[0].from(4)).containsExactly(new PeerMessage.SyncRequest(9, 9));
        }

        // The real peers never noticed.
        for (int i = 0; i < 100; i++) {
            nets.get(0).send(2, ping(1, i));
            nets.get(1).send(1, ping(2, i));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> r[0].pingsFrom(2).size() == 100
                && r[1].pingsFrom(1).size() == 100);
        assertThat(r[0].disconnects).doesNotContain(2);
        assertThat(r[1].disconnects).doesNotContain(1);
        assertThat(nets.get(0).isConnected(2)).isTrue();
        assertThat(nets.get(1).isConnected(1)).isTrue();
        // The pretender's connections that got past the hello were reported when they closed.
        await().atMost(Duration.ofSeconds(5)).until(() -> r[0].disconnects.contains(4));
    }

    interface Writes {
        void to(DataOutputStream out) throws IOException;
    }

    private static void hello(DataOutputStream out, int magic, int version, int id) throws IOException {
        out.writeInt(12);
        out.writeInt(magic);
        out.writeInt(version);
        out.writeInt(id);
    }

    /** Connects, writes, and expects the server to close the connection (end of stream or reset). */
    private static void assertClosedBy(int port, Writes writes) throws IOException {
        try (Socket s = new Socket(LOOPBACK, port)) {
            s.setSoTimeout(15_000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            writes.to(out);
            out.flush();
            InputStream in = s.getInputStream();
            try {
                assertThat(in.read()).as("the server closes the connection").isEqualTo(-1);
            } catch (SocketException reset) {
                // closed with unread bytes pending: a reset, which is a close too
            }
        }
    }

    @Test
    void aLargeSnapshotSyncArrivesIntactAndInOrder() throws Exception {
        Recorder[] r = recorders(2);
        List<PeerNetwork> nets = ensemble(r, Map.of());
        byte[] data = PeerMessages.bytes(24 << 20, 99);
        List<Proposal> entries = List.of(new Proposal(0x5_0000_0001L, PeerMessages.bytes(1 << 20, 100)),
                new Proposal(0x5_0000_0002L, new byte[0]));
        nets.get(0).send(2, ping(1, 0));
        nets.get(0).send(2, new PeerMessage.Zab(new Message.Sync(1, 1, Message.SyncKind.SNAP, 0x5_0000_0000L,
                new Snapshot(0x5_0000_0000L, data), entries, 0x5_0000_0002L)));
        nets.get(0).send(2, ping(1, 2));
        await().atMost(Duration.ofSeconds(30)).until(() -> r[1].from(1).size() == 3);
        List<PeerMessage> got = r[1].from(1);
        assertThat(got.get(0)).isEqualTo(ping(1, 0));
        Message.Sync sync = (Message.Sync) ((PeerMessage.Zab) got.get(1)).message();
        assertThat(sync.snapshot().zxid()).isEqualTo(0x5_0000_0000L);
        assertThat(java.util.Arrays.equals(sync.snapshot().data(), data)).as("snapshot bytes intact").isTrue();
        assertThat(sync.entries()).isEqualTo(entries);
        assertThat(got.get(2)).isEqualTo(ping(1, 2));
        assertThat(r[1].disconnects).isEmpty();
    }

    @Test
    void aStalledPeerCostsBoundedMemoryAndSendsNeverBlock() throws Exception {
        try (ServerSocket stalled = new ServerSocket(0, 1, LOOPBACK)) {
            PeerNetwork n1 = network(1, new InetSocketAddress(LOOPBACK, 0),
                    Map.of(2, new InetSocketAddress(LOOPBACK, stalled.getLocalPort())), new Recorder());
            try (Socket accepted = stalled.accept()) { // and never read
                await().atMost(Duration.ofSeconds(5)).until(() -> n1.isConnected(2));
                PeerMessage big = new PeerMessage.Zab(new Message.Propose(1, 0,
                        new Proposal(1, PeerMessages.bytes(1 << 20, 5))));
                long start = System.nanoTime();
                for (int i = 0; i < 256; i++) {
                    n1.send(2, big);
                    assertThat(n1.outstandingBytes(2)).isLessThanOrEqualTo(PeerNetwork.MAX_OUTSTANDING_BYTES + (2 << 20));
                }
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
                // 256 MiB went out and nobody read: what waits is what the cap allows, the rest was dropped.
                assertThat(n1.outstandingBytes(2)).isGreaterThan(PeerNetwork.MAX_OUTSTANDING_BYTES / 2);
                assertThat(n1.isConnected(2)).isTrue();
            }
        }
    }
}
