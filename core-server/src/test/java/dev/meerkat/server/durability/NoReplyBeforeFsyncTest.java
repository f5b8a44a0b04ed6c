package dev.meerkat.server.durability;

import dev.meerkat.server.admin.FourLetterWords;
import dev.meerkat.server.config.ServerConfig;
import dev.meerkat.server.net.ClientListener;
import dev.meerkat.server.request.RequestProcessor;
import dev.meerkat.server.request.TxnSink;
import dev.meerkat.server.storage.GroupCommitLog;
import dev.meerkat.server.storage.TxnLog;
import dev.meerkat.server.tree.DataTree;
import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No reply leaves before the fsync that covers its txn has returned. The server here is assembled
 * as {@code MeerkatServer} assembles it (request processor, client listener, four-letter words)
 * over a real {@link TxnLog} and {@link GroupCommitLog}, but the log's force step can be held.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NoReplyBeforeFsyncTest {

    /** Forces the channel as usual, unless held: then it waits for {@link #release()} first. */
    static final class HoldingSyncer implements TxnLog.Syncer {
        private volatile CountDownLatch gate;
        private volatile CountDownLatch arrived = new CountDownLatch(1);
        final AtomicInteger forced = new AtomicInteger();

        void hold() {
            arrived = new CountDownLatch(1);
            gate = new CountDownLatch(1);
        }

        void release() {
            CountDownLatch g = gate;
            gate = null;
            if (g != null) {
                g.countDown();
            }
        }

        /** Waits until a sync has reached the held gate. */
        boolean awaitHeldSync(long seconds) throws InterruptedException {
            return arrived.await(seconds, TimeUnit.SECONDS);
        }

        @Override
        public void sync(FileChannel channel) throws IOException {
            CountDownLatch g = gate;
            if (g != null) {
                arrived.countDown();
                try {
                    if (!g.await(30, TimeUnit.SECONDS)) {
                        throw new IOException("test never released the held fsync");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while held", e);
                }
            }
            channel.force(false);
            forced.incrementAndGet();
        }
    }

    @TempDir
    Path dir;

    private final HoldingSyncer syncer = new HoldingSyncer();
    private GroupCommitLog log;
    private RequestProcessor processor;
    private ClientListener listener;
    private final List<ZooKeeper> clients = new ArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        ServerConfig config = ServerConfig.builder()
                .dataDir(dir)
                .clientPort(0)
                .clientPortAddress("127.0.0.1")
                .fourLetterWhitelist("ruok,srvr")
                .build();
        log = GroupCommitLog.start(TxnLog.open(dir.resolve("version-2"),
                TxnLog.Options.defaults().withPreallocBytes(64 * 1024).withSyncer(syncer)));
        // As Durability.sink() exposes the log to the pipeline.
        TxnSink sink = (header, txn, onDurable, onFailure) -> {
            try {
                log.submit(header, txn).whenComplete((ok, error) -> {
                    if (error == null) {
                        onDurable.run();
                    } else {
                        onFailure.accept(error);
                    }
                });
            } catch (RuntimeException e) {
                onFailure.accept(e);
            }
        };
        processor = new RequestProcessor(config, 1, new DataTree(), sink, dir.resolve("version-2"));
        processor.start();
        listener = new ClientListener(config, processor, new FourLetterWords(config, processor, 0));
    }

    @AfterEach
    void stopServer() throws Exception {
        syncer.release();
        Clients.closeAll(clients);
        if (listener != null) {
            listener.close();
        }
        if (processor != null) {
            processor.close();
        }
        if (log != null) {
            log.close();
        }
    }

    private String connectString() {
        return "127.0.0.1:" + listener.localAddress().getPort();
    }

    private ZooKeeper connect() throws Exception {
        ZooKeeper zk = Clients.connect(connectString(), 30_000);
        clients.add(zk);
        return zk;
    }

    @Test
    void aWriteIsAnsweredOnlyAfterItsFsyncAndLaterReadsOfItsSessionWaitForIt() throws Exception {
        ZooKeeper writer = connect();
        ZooKeeper other = connect();
        writer.create("/existing", "old".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT);

        syncer.hold();
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch created = new CountDownLatch(1);
        CountDownLatch readAfter = new CountDownLatch(1);
        AtomicLong durableAtReply = new AtomicLong(-1);
        AtomicLong createdZxid = new AtomicLong(-1);
        writer.create("/held", "new".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT, (AsyncCallback.Create2Callback) (rc, path, ctx, name, stat) -> {
                    durableAtReply.set(log.durableZxid());
                    createdZxid.set(stat == null ? -1 : stat.getCzxid());
                    order.add("create " + KeeperException.Code.get(rc));
                    created.countDown();
                }, null);
        // Issued after the create on the same session: a read, which the server answers from memory,
        // must still wait for the write before it.
        writer.getData("/existing", false, (rc, path, ctx, data, stat) -> {
            order.add("read " + KeeperException.Code.get(rc));
            readAfter.countDown();
        }, null);

        assertThat(syncer.awaitHeldSync(10)).as("the create reached the fsync").isTrue();

        // The server is alive and answering everyone else meanwhile.
        assertThat(Clients.fourLetter(listener.localAddress().getPort(), "ruok")).isEqualTo("imok");
        Stat otherStat = new Stat();
        assertThat(other.getData("/existing", false, otherStat)).isEqualTo("old".getBytes(StandardCharsets.UTF_8));
        assertThat(other.exists("/held", false)).as("a txn is not applied before it is durable").isNull();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> created.getCount() == 1 && readAfter.getCount() == 1);
        assertThat(order).as("replies while the fsync is held").isEmpty();

        syncer.release();
        assertThat(created.await(10, TimeUnit.SECONDS)).as("the create is answered once its fsync returns").isTrue();
        assertThat(readAfter.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactly("create OK", "read OK");
        assertThat(durableAtReply.get()).as("the log's durable zxid when the reply arrived")
                .isGreaterThanOrEqualTo(createdZxid.get());
        assertThat(other.exists("/held", false)).isNotNull();
    }

    @Test
    void aSessionIsGrantedOnlyAfterItsCreateSessionTxnIsDurable() throws Exception {
        ZooKeeper other = connect();
        syncer.hold();
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper pending = new ZooKeeper(connectString(), 30_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        clients.add(pending);
        assertThat(syncer.awaitHeldSync(10)).as("the new session's txn reached the fsync").isTrue();
        assertThat(other.exists("/", false)).as("another session is served meanwhile").isNotNull();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> connected.getCount() == 1);
        syncer.release();
        assertThat(connected.await(10, TimeUnit.SECONDS)).as("connected once the fsync returned").isTrue();
        assertThat(pending.getSessionId()).isNotZero();
    }
}
