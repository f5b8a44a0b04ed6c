package dev.meerkat.server.storage;

import dev.meerkat.server.txn.Txn;
import dev.meerkat.server.txn.TxnHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The log's dedicated writer. Callers {@link #submit} txns in zxid order; the writer thread takes
 * everything queued, appends it, fsyncs once for the whole batch and only then completes the
 * batch's futures, in zxid order. The fsync stays the floor under write latency, but its cost is
 * shared by every txn that arrived while the previous one ran.
 *
 * <p>Futures complete on the writer thread, so dependent stages run there unless they use an
 * async variant: they must be short and must never wait for another submit.
 *
 * <p>If appending or syncing fails, nothing submitted is durable as far as this log knows: every
 * pending future fails with that exception, and every later submit fails at once. Whether the
 * server stops is its decision; the log never pretends.
 *
 * <p>Once wrapped, the {@link TxnLog} belongs to the writer thread; {@link #close()} closes it.
 */
public final class GroupCommitLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitLog.class);

    /**
     * Counters for benchmarks and metrics. Fsync times come from the log and are in nanoseconds.
     *
     * @param batches batches written, each with one sync
     * @param txns txns made durable
     */
    public record Stats(long batches, long txns, int lastBatchSize, int maxBatchSize, TxnLog.SyncStats fsync) {
        public double meanBatchSize() {
            return batches == 0 ? 0 : (double) txns / batches;
        }
    }

    private record Pending(long zxid, byte[] payload, CompletableFuture<Void> done) {
    }

    private final TxnLog log;
    private final Thread writer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();

    // guarded by lock
    private List<Pending> queue = new ArrayList<>();
    private long lastSubmittedZxid;
    private boolean closing;
    private Throwable failure;

    // written by the writer thread only
    private volatile long batches;
    private volatile long txns;
    private volatile int lastBatchSize;
    private volatile int maxBatchSize;
    private volatile IOException closeFailure;

    private GroupCommitLog(TxnLog log, String threadName) {
        this.log = log;
        this.lastSubmittedZxid = log.lastZxid();
        this.writer = new Thread(this::run, threadName);
        // Durability never depends on this thread outliving the server: nothing is acknowledged
        // before its fsync, so a JVM that exits without close() loses only unacknowledged txns.
        writer.setDaemon(true);
    }

    /** Starts a writer thread for {@code log}, which must not be used directly afterwards. */
    public static GroupCommitLog start(TxnLog log) {
        return start(log, "meerkat-txnlog-writer");
    }

    public static GroupCommitLog start(TxnLog log, String threadName) {
        GroupCommitLog g = new GroupCommitLog(Objects.requireNonNull(log, "log"), threadName);
        g.writer.start();
        return g;
    }

    /**
     * Queues a txn. The future completes after the fsync that covers it has returned, or fails with
     * the exception that stopped the log.
     *
     * @throws IllegalStateException if the zxid does not come after the last one submitted (the
     *     caller must submit in zxid order), or after {@link #close()}
     * @throws IllegalArgumentException if the txn cannot be logged (too large, multi nested too deep)
     */
    public CompletableFuture<Void> submit(TxnHeader h, Txn t) {
        // Encoding on the caller's thread keeps the writer thread for I/O and rejects a txn the log
        // cannot hold before anything is queued.
        byte[] payload = TxnLog.encode(Objects.requireNonNull(h, "header"), Objects.requireNonNull(t, "txn"));
        lock.lock();
        try {
            if (closing) {
                throw new IllegalStateException("transaction log writer is closed");
            }
            if (failure != null) {
                return CompletableFuture.failedFuture(new IOException(
                        "transaction log failed earlier and accepts no more txns", failure));
            }
            if (h.zxid() <= lastSubmittedZxid) {
                throw new IllegalStateException("zxid 0x" + Long.toHexString(h.zxid())
                        + " submitted after 0x" + Long.toHexString(lastSubmittedZxid));
            }
            lastSubmittedZxid = h.zxid();
            CompletableFuture<Void> done = new CompletableFuture<>();
            queue.add(new Pending(h.zxid(), payload, done));
            if (queue.size() == 1) {
                work.signal();
            }
            return done;
        } finally {
            lock.unlock();
        }
    }

    /** The zxid up to which txns are durable. */
    public long durableZxid() {
        return log.durableZxid();
    }

    /** The exception that stopped the log, if one did. */
    public Optional<Throwable> failure() {
        lock.lock();
        try {
            return Optional.ofNullable(failure);
        } finally {
            lock.unlock();
        }
    }

    public Stats stats() {
        return new Stats(batches, txns, lastBatchSize, maxBatchSize, log.syncStats());
    }

    /**
     * Stops taking submits, makes everything already submitted durable (completing its futures),
     * then closes the log. From a future's callback on the writer thread it only asks the writer
     * to stop, since waiting there would wait on itself.
     */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            closing = true;
            work.signal();
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread() == writer) {
            return;
        }
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the transaction log writer drained");
        }
        if (closeFailure != null) {
            throw closeFailure;
        }
    }

    private void run() {
        try {
            while (true) {
                List<Pending> batch = take();
                if (batch == null) {
                    break;
                }
                try {
                    for (Pending p : batch) {
                        log.appendEncoded(p.zxid(), p.payload());
                    }
                    log.sync();
                } catch (Throwable e) {
                    stop(batch, e);
                    return;
                }
                batches++;
                txns += batch.size();
                lastBatchSize = batch.size();
                if (batch.size() > maxBatchSize) {
                    maxBatchSize = batch.size();
                }
                for (Pending p : batch) {
                    p.done().complete(null);
                }
            }
            log.close();
        } catch (IOException e) {
            closeFailure = e;
        } catch (Throwable e) {
            // Only close() can get here (completing a future runs no foreign code that can throw out).
            closeFailure = new IOException("closing the transaction log failed", e);
        }
    }

    /** Everything queued, once there is something; null once closing and drained. */
    private List<Pending> take() {
        lock.lock();
        try {
            while (queue.isEmpty() && !closing) {
                work.awaitUninterruptibly();
            }
            if (queue.isEmpty()) {
                return null;
            }
            List<Pending> batch = queue;
            queue = new ArrayList<>(Math.max(16, batch.size()));
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private void stop(List<Pending> batch, Throwable e) {
        List<Pending> rest;
        lock.lock();
        try {
            failure = e;
            rest = queue;
            queue = new ArrayList<>();
        } finally {
            lock.unlock();
        }
        LOG.error("Transaction log {} failed; {} txn(s) were not made durable and no more are accepted",
                log.directory(), batch.size() + rest.size(), e);
        for (Pending p : batch) {
            p.done().completeExceptionally(e);
        }
        for (Pending p : rest) {
            p.done().completeExceptionally(e);
        }
        try {
            log.close();
        } catch (IOException | RuntimeException closeError) {
            e.addSuppressed(closeError);
        }
    }
}
