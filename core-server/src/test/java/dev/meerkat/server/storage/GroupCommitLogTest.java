package dev.meerkat.server.storage;

import dev.meerkat.server.storage.TxnLog.Options;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(15)
class GroupCommitLogTest {
    @TempDir
    Path dir;

    private final ControlledSyncer syncer = new ControlledSyncer();
    private final Options opts = Options.defaults().withPreallocBytes(64 << 10).withSyncer(syncer);
    private GroupCommitLog group;

    /** A real fsync that a test can hold at its start, or make fail. */
    static final class ControlledSyncer implements TxnLog.Syncer {
        final Semaphore entered = new Semaphore(0);
        final AtomicInteger returned = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile IOException failure;

        @Override
        public void sync(FileChannel channel) throws IOException {
            entered.release();
            try {
                if (!gate.await(10, TimeUnit.SECONDS)) {
                    throw new IOException("test never released the fsync");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            if (failure != null) {
                throw failure;
            }
            channel.force(false);
            returned.incrementAndGet();
        }

        CountDownLatch hold() {
            entered.drainPermits();
            gate = new CountDownLatch(1);
            return gate;
        }

        void awaitEntered() throws InterruptedException {
            assertThat(entered.tryAcquire(10, TimeUnit.SECONDS)).as("writer reached the fsync").isTrue();
        }
    }

    @AfterEach
    void closeGroup() throws IOException {
        if (group != null) {
            syncer.gate.countDown();
            group.close();
        }
    }

    private CompletableFuture<Void> submit(long zxid) {
        return group.submit(Txns.header(zxid), Txns.txn(zxid));
    }

    @Test
    void noFutureCompletesBeforeTheFsyncCoveringItReturns() throws Exception {
        group = GroupCommitLog.start(TxnLog.open(dir, opts));
        // what each completion saw: its zxid and how many fsyncs had returned by then
        ConcurrentLinkedQueue<long[]> completions = new ConcurrentLinkedQueue<>();
        CountDownLatch held = syncer.hold();

        List<CompletableFuture<Void>> futures = new ArrayList<>();
        futures.add(submit(1));
        syncer.awaitEntered();
        for (long z = 2; z <= 5; z++) {
            futures.add(submit(z));
        }
        for (int i = 0; i < futures.size(); i++) {
            long zxid = i + 1;
            futures.get(i).thenRun(() -> completions.add(new long[] {zxid, syncer.returned.get()}));
        }

        // The writer is inside the fsync for txn 1, and 2..5 wait behind it.
        assertThat(futures).noneMatch(CompletableFuture::isDone);
        assertThat(group.durableZxid()).isEqualTo(-1);

        held.countDown();
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        assertThat(completions).extracting(c -> c[0]).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(completions).allSatisfy(c -> assertThat(c[1]).as("fsyncs returned before zxid " + c[0])
                .isGreaterThanOrEqualTo(c[0] == 1 ? 1 : 2));
        GroupCommitLog.Stats stats = group.stats();
        assertThat(stats.batches()).isEqualTo(2);
        assertThat(stats.txns()).isEqualTo(5);
        assertThat(stats.lastBatchSize()).isEqualTo(4);
        assertThat(stats.fsync().count()).isEqualTo(2);
        assertThat(group.durableZxid()).isEqualTo(5);
    }

    @Test
    void everythingQueuedDuringAnFsyncGoesIntoTheNextBatchWithOneFsync() throws Exception {
        group = GroupCommitLog.start(TxnLog.open(dir, opts));
        CountDownLatch held = syncer.hold();
        CompletableFuture<Void> first = submit(1);
        syncer.awaitEntered();

        int threads = 8;
        int perThread = 50;
        Object order = new Object();
        long[] next = {2};
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        ConcurrentLinkedQueue<Long> completed = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<CompletableFuture<Void>> submitters = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                submitters.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < perThread; i++) {
                        // zxids are handed out and submitted under one lock, as the request pipeline does
                        synchronized (order) {
                            long z = next[0]++;
                            CompletableFuture<Void> f = submit(z);
                            f.thenRun(() -> completed.add(z));
                            futures.add(f);
                        }
                    }
                }, pool));
            }
            CompletableFuture.allOf(submitters.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        } finally {
            pool.shutdown();
        }
        assertThat(first).isNotDone();

        held.countDown();
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        GroupCommitLog.Stats stats = group.stats();
        assertThat(stats.txns()).isEqualTo(1 + threads * perThread);
        assertThat(stats.batches()).isEqualTo(2);
        assertThat(stats.lastBatchSize()).isEqualTo(threads * perThread);
        assertThat(stats.maxBatchSize()).isEqualTo(threads * perThread);
        assertThat(stats.fsync().count()).isEqualTo(stats.batches());
        assertThat(completed).containsExactlyElementsOf(
                LongStream.rangeClosed(2, 1 + threads * perThread).boxed().toList());
    }

    @Test
    void concurrentSubmittersShareFsyncsAndEveryTxnReachesTheLogInOrder() throws Exception {
        group = GroupCommitLog.start(TxnLog.open(dir, opts));
        int threads = 8;
        int perThread = 200;
        Object order = new Object();
        long[] next = {1};
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        ConcurrentLinkedQueue<Long> completed = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<CompletableFuture<Void>> submitters = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                submitters.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < perThread; i++) {
                        synchronized (order) {
                            long z = next[0]++;
                            CompletableFuture<Void> f = submit(z);
                            f.thenRun(() -> completed.add(z));
                            futures.add(f);
                        }
                    }
                }, pool));
            }
            CompletableFuture.allOf(submitters.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        } finally {
            pool.shutdown();
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        group.close();

        int total = threads * perThread;
        GroupCommitLog.Stats stats = group.stats();
        assertThat(stats.txns()).isEqualTo(total);
        assertThat(stats.fsync().count()).isEqualTo(stats.batches());
        assertThat(stats.batches()).isBetween(1L, (long) total);
        assertThat(completed).containsExactlyElementsOf(
                LongStream.rangeClosed(1, total).boxed().toList());
        List<Long> logged = new ArrayList<>();
        TxnLog.read(dir, -1, e -> logged.add(e.zxid()));
        assertThat(logged).containsExactlyElementsOf(completed);
    }

    @Test
    void aFailedFsyncFailsItsBatchAndEverythingQueuedAndRefusesMore() throws Exception {
        group = GroupCommitLog.start(TxnLog.open(dir, opts));
        CompletableFuture<Void> first = submit(1);
        first.get(10, TimeUnit.SECONDS);

        IOException diskGone = new IOException("disk gone");
        CountDownLatch held = syncer.hold();
        syncer.failure = diskGone;
        CompletableFuture<Void> second = submit(2);
        syncer.awaitEntered();
        CompletableFuture<Void> third = submit(3);
        CompletableFuture<Void> fourth = submit(4);
        held.countDown();

        for (CompletableFuture<Void> f : List.of(second, third, fourth)) {
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isSameAs(diskGone);
        }
        assertThat(first).isCompleted();
        assertThat(group.failure()).containsSame(diskGone);
        assertThat(group.durableZxid()).isEqualTo(1);
        assertThatThrownBy(() -> submit(5).get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IOException.class).hasCause(diskGone);
        group.close();
    }

    @Test
    void closeMakesEverythingSubmittedDurableFirst() throws Exception {
        group = GroupCommitLog.start(TxnLog.open(dir, opts));
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (long z = 1; z <= 100; z++) {
            futures.add(submit(z));
        }

        group.close();

        assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThatThrownBy(() -> submit(101)).isInstanceOf(IllegalStateException.class);
        AtomicInteger replayed = new AtomicInteger();
        assertThat(TxnLog.read(dir, -1, e -> replayed.incrementAndGet()).lastZxid()).isEqualTo(100);
        assertThat(replayed).hasValue(100);
    }

    @Test
    void submitsOutOfZxidOrderAreRefusedAtOnce() throws Exception {
        group = GroupCommitLog.start(TxnLog.open(dir, opts));
        submit(5).get(10, TimeUnit.SECONDS);

        assertThatThrownBy(() -> submit(5)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> submit(3)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> group.submit(Txns.header(6), Txns.nested(TxnCodec.MAX_MULTI_DEPTH + 1)))
                .isInstanceOf(IllegalArgumentException.class);
        submit(6).get(10, TimeUnit.SECONDS);
        assertThat(group.failure()).isEmpty();
    }

    @Test
    void aReopenedLogTakesSubmitsAfterItsLastZxid() throws Exception {
        try (TxnLog log = TxnLog.open(dir, opts)) {
            log.append(Txns.header(1), Txns.txn(1));
        }
        group = GroupCommitLog.start(TxnLog.open(dir, opts));

        assertThatThrownBy(() -> submit(1)).isInstanceOf(IllegalStateException.class);
        submit(2).get(10, TimeUnit.SECONDS);
        assertThat(group.durableZxid()).isEqualTo(2);
    }
}
