package dev.meerkat.client;

import dev.meerkat.protocol.CreateMode;
import dev.meerkat.server.EmbeddedMeerkat;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event thread: slow user code there delays callbacks, never I/O; and waiting on the client's
 * own futures there is refused rather than left to hang.
 */
class EventThreadTest {
    private static EmbeddedMeerkat meerkat;
    private final List<MeerkatClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        meerkat = EmbeddedMeerkat.start(b -> b.tickTime(Target.TICK_MS));
    }

    @AfterAll
    static void stop() {
        if (meerkat != null) {
            meerkat.close();
        }
    }

    @AfterEach
    void closeClients() {
        clients.forEach(MeerkatClient::close);
    }

    private MeerkatClient connect(int sessionMs) throws Exception {
        MeerkatClient c = MeerkatClient.connect(meerkat.connectString(), ClientOptions.builder()
                .sessionTimeout(Duration.ofMillis(sessionMs)).build()).get(10, TimeUnit.SECONDS);
        clients.add(c);
        return c;
    }

    @Test
    void aSlowWatcherDelaysLaterCallbacksButNeitherRepliesNorPings() throws Exception {
        MeerkatClient c = connect(1_000);
        BlockingMeerkat sync = c.sync();
        String n = sync.create("/slow-", null, CreateMode.PERSISTENT_SEQUENTIAL).path();
        CountDownLatch inWatcher = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        sync.getData(n, e -> {
            inWatcher.countDown();
            try {
                release.await();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        });
        sync.setData(n, "x".getBytes());
        assertThat(inWatcher.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<NodeData> queuedBehind = c.getData(n);
        for (int i = 0; i < 20; i++) {
            sync.setData(n, Integer.toString(i).getBytes());
        }
        // replies are read while the watcher blocks: the blocking calls came back, and the
        // getData before them has its reply too, waiting for the event thread to deliver it
        assertThat(queuedBehind).isNotDone();
        // longer than the whole session timeout: only pings keep the session, and they go on
        Awaitility.await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(5))
                .until(() -> c.state() == ConnectionState.CONNECTED);

        release.countDown();
        assertThat(queuedBehind.get(10, TimeUnit.SECONDS).stat().version()).isEqualTo(1);
        assertThat(sync.getData(n).stat().version()).isEqualTo(21);
    }

    @Test
    void waitingOnTheClientsFutureFromItsEventThreadFailsAtOnce() throws Exception {
        MeerkatClient c = connect(4_000);
        String n = c.sync().create("/wait-", null, CreateMode.PERSISTENT_SEQUENTIAL).path();
        List<Object> outcomes = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);

        c.getData(n, e -> {
            try {
                outcomes.add(c.getData(n).thenApply(d -> d.stat()).get());
            } catch (Exception ex) {
                outcomes.add(ex);
            }
            try {
                // the blocking facade waits on the reply itself, so it works here
                outcomes.add(c.sync().getData(n).stat().version());
            } catch (Exception ex) {
                outcomes.add(ex);
            }
            done.countDown();
        }).get(10, TimeUnit.SECONDS);
        c.setData(n, "x".getBytes()).get(10, TimeUnit.SECONDS);

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(outcomes.get(0)).isInstanceOf(IllegalStateException.class);
        assertThat(outcomes.get(1)).isEqualTo(1);
    }
}
