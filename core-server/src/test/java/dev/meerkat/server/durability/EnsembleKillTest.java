package dev.meerkat.server.durability;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three server JVMs on loopback, killed with SIGKILL. Every write the official client saw
 * acknowledged must be on every survivor and on the restarted server; a minority must refuse
 * writes rather than accept them.
 */
class EnsembleKillTest {
    private static final int MEMBERS = 3;

    @TempDir
    Path dir;

    private final Map<Integer, ServerProcess> servers = new TreeMap<>();
    private final Map<Integer, Integer> clientPorts = new TreeMap<>();
    private final List<ZooKeeper> clients = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        Clients.closeAll(clients);
        for (ServerProcess p : servers.values()) {
            p.kill();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void writeConfigs() throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int id = 1; id <= MEMBERS; id++) {
            clientPorts.put(id, freePort());
            lines.append("server.").append(id).append("=127.0.0.1:").append(freePort()).append(':')
                    .append(freePort()).append('\n');
        }
        for (int id = 1; id <= MEMBERS; id++) {
            Path data = dir.resolve("s" + id);
            Files.createDirectories(data);
            Files.writeString(data.resolve("myid"), id + "\n");
            Files.writeString(dir.resolve("zoo" + id + ".cfg"), "tickTime=500\ninitLimit=10\nsyncLimit=5\n"
                    + "dataDir=" + data + "\nclientPort=" + clientPorts.get(id) + "\nclientPortAddress=127.0.0.1\n"
                    + "preAllocSize=1024\n4lw.commands.whitelist=srvr,stat,mntr\n" + lines);
        }
    }

    private void start(int id) throws Exception {
        servers.put(id, ServerProcess.start(dir.resolve("zoo" + id + ".cfg")));
    }

    private void kill(int id) throws InterruptedException {
        servers.remove(id).kill();
    }

    private String mode(int id) {
        try {
            String srvr = Clients.fourLetter(clientPorts.get(id), "srvr");
            int at = srvr.indexOf("Mode: ");
            return at < 0 ? "not serving" : srvr.substring(at + 6, srvr.indexOf('\n', at));
        } catch (IOException e) {
            return "unreachable";
        }
    }

    private void awaitServing(Set<Integer> ids) {
        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> {
            String m = mode(id);
            return m.equals("leader") || m.equals("follower");
        }) && ids.stream().filter(id -> mode(id).equals("leader")).count() == 1);
    }

    private int leader() {
        return servers.keySet().stream().filter(id -> mode(id).equals("leader")).findFirst().orElseThrow();
    }

    private String connectString(Set<Integer> ids) {
        return ids.stream().map(id -> "127.0.0.1:" + clientPorts.get(id)).collect(Collectors.joining(","));
    }

    private Set<String> children(int id) throws Exception {
        ZooKeeper zk = Clients.connect(connectString(Set.of(id)), 4000);
        clients.add(zk);
        zk.sync("/load", (rc, path, ctx) -> { }, null);
        // A read after sync on the same session reflects every write committed before the sync.
        zk.exists("/load", false);
        return new HashSet<>(zk.getChildren("/load", false));
    }

    /** Creates sequential nodes as fast as the client allows and records those acknowledged. */
    private final class Writer implements Runnable {
        final Set<String> acked = ConcurrentHashMap.newKeySet();
        final AtomicLong lossCount = new AtomicLong();
        final AtomicBoolean running = new AtomicBoolean(true);
        final ZooKeeper zk;
        final Thread thread = new Thread(this, "writer");

        Writer(ZooKeeper zk) {
            this.zk = zk;
        }

        @Override
        public void run() {
            while (running.get()) {
                try {
                    String path = zk.create("/load/n-", new byte[16], ZooDefs.Ids.OPEN_ACL_UNSAFE,
                            CreateMode.PERSISTENT_SEQUENTIAL);
                    acked.add(path.substring("/load/".length()));
                } catch (KeeperException.ConnectionLossException e) {
                    lossCount.incrementAndGet();
                } catch (KeeperException e) {
                    lossCount.incrementAndGet();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(20_000);
        }
    }

    @Test
    void leaderKilledUnderLoadLosesNoAcknowledgedWriteAndAMinorityRefusesWrites() throws Exception {
        writeConfigs();
        for (int id = 1; id <= MEMBERS; id++) {
            start(id);
        }
        Set<Integer> all = Set.of(1, 2, 3);
        awaitServing(all);

        ZooKeeper zk = Clients.connect(connectString(all), 6000);
        clients.add(zk);
        zk.create("/load", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        Writer writer = new Writer(zk);
        writer.thread.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> writer.acked.size() >= 200);

        // SIGKILL of the leader under load: a new leader takes over and writes go on.
        int oldLeader = leader();
        kill(oldLeader);
        int before = writer.acked.size();
        await().atMost(Duration.ofSeconds(30)).until(() -> writer.acked.size() >= before + 200);
        Set<Integer> survivors = new HashSet<>(all);
        survivors.remove(oldLeader);
        awaitServing(survivors);

        // The killed leader comes back as a follower and catches up.
        start(oldLeader);
        awaitServing(all);

        // A follower killed: writes are not interrupted for long.
        int follower = all.stream().filter(id -> !mode(id).equals("leader")).findFirst().orElseThrow();
        kill(follower);
        int beforeFollowerKill = writer.acked.size();
        await().atMost(Duration.ofSeconds(30)).until(() -> writer.acked.size() >= beforeFollowerKill + 200);
        writer.stop();

        Set<Integer> up = new HashSet<>(servers.keySet());
        for (int id : up) {
            assertThat(children(id)).as("member %d holds every acknowledged write", id).containsAll(writer.acked);
        }

        // Two of three down: no write may succeed on the one left.
        int lastLeader = leader();
        kill(lastLeader);
        int alone = servers.keySet().iterator().next();
        await().atMost(Duration.ofSeconds(30)).until(() -> !mode(alone).equals("leader")
                && !mode(alone).equals("follower"));
        long zxidAlone = Clients.srvrZxid(clientPorts.get(alone));
        try {
            zk.create("/minority", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            throw new AssertionError("a write succeeded with two of three servers down");
        } catch (KeeperException.ConnectionLossException | KeeperException.SessionExpiredException expected) {
            // what ZooKeeper does too
        }
        assertThat(Clients.srvrZxid(clientPorts.get(alone))).isEqualTo(zxidAlone);

        // One comes back: a quorum again, writes resume, and nothing acknowledged is missing.
        start(lastLeader);
        awaitServing(servers.keySet());
        ZooKeeper fresh = Clients.connect(connectString(servers.keySet()), 6000);
        clients.add(fresh);
        fresh.create("/after", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(fresh.exists("/minority", false)).isNull();
        for (int id : servers.keySet()) {
            assertThat(children(id)).as("member %d after the quorum came back", id).containsAll(writer.acked);
        }
    }
}
