package dev.meerkat.server.storage;

import dev.meerkat.server.tree.NodeImage;
import dev.meerkat.server.tree.SnapshotSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * Writes one snapshot file on its own thread, fed with node images by a
 * {@link dev.meerkat.server.tree.SnapshotCursor} on the tree's owner thread.
 *
 * <h2>Design: a fuzzy snapshot in slices, replayed exactly</h2>
 *
 * A snapshot must not stop writes for more than a few milliseconds, and the tree has a single
 * owner thread and no locks, so it can be neither copied in one go nor read from another thread.
 * We chose a fuzzy snapshot (no copy-on-write structure):
 * <ol>
 * <li>The owner thread makes a cursor ({@code DataTree.snapshotCursor()}), which records
 *     startZxid, the last zxid applied so far, and the caller passes in the live sessions of that
 *     same moment. Between requests the owner calls {@code cursor.next(1000, writer)}: the cursor
 *     walks the tree depth first and turns up to that many nodes into immutable
 *     {@link NodeImage}s (every stored field, plus serializedAt, the last zxid applied when that
 *     node was copied). That is about a millisecond per slice, and writes go on between slices.
 *     A node deleted before the walk reaches it is written as it was just before its delete (a
 *     ghost), so each image is the state of its path as of its own serializedAt.</li>
 * <li>This writer batches the images and hands them to its thread, which encodes them into a
 *     temporary file, appends a footer with a CRC32C over the whole content, fsyncs, renames the
 *     file atomically to {@code snapshot.<startZxid>} and fsyncs the directory. A file without a
 *     valid footer and CRC is corrupt, so a crash mid-write never leaves a snapshot that loads.</li>
 * <li>On recovery the tree is rebuilt from the images, each node keeping its serializedAt, and
 *     the log is replayed from startZxid + 1 with {@code DataTree.processTxnForRecovery}: a txn's
 *     effect on a node is applied only when the txn is newer than that node's serializedAt. That
 *     makes the replay exact, not merely idempotent: neither a stale pzxid or cversion
 *     (ZOOKEEPER-3249) nor part of a multi (ZOOKEEPER-3127: the tree advances its last zxid
 *     only after a whole txn, and slices run only between txns) can come out differently.</li>
 * </ol>
 *
 * <p>The owner thread never blocks here: {@link #node} only appends to a batch, and the queue to
 * the writer thread is unbounded. {@link #backlogged()} says when images are piling up faster
 * than the disk takes them, so that the owner can skip a slice instead of filling the heap.
 *
 * <p>Every writer must end with {@link #finish()} or {@link #abort()}: its thread waits for one
 * of them. One snapshot at a time per directory.
 */
public final class SnapshotWriter implements SnapshotSink {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotWriter.class);

    /** How many image bytes may wait for the writer thread before {@link #backlogged()} says so. */
    public static final long DEFAULT_MAX_BACKLOG_BYTES = 64L << 20;
    private static final int BATCH = 1024;
    private static final int BUFFER = 1 << 20;

    private record Batch(List<NodeImage> nodes, long bytes) {
    }

    private record End(long endZxid) {
    }

    private static final Object ABORT = new Object();

    private final Path dir;
    private final Path target;
    private final Path temp;
    private final long startZxid;
    private final List<SnapshotSession> sessions;
    private final long maxBacklogBytes;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AtomicLong backlogBytes = new AtomicLong();
    private final CompletableFuture<Path> completion = new CompletableFuture<>();

    // Owner thread only.
    private List<NodeImage> batch = new ArrayList<>(BATCH);
    private long batchBytes;
    private boolean closed;

    private SnapshotWriter(Path dir, long startZxid, Collection<SnapshotSession> sessions, long maxBacklogBytes) {
        this.dir = dir;
        this.startZxid = startZxid;
        this.sessions = List.copyOf(sessions);
        this.maxBacklogBytes = maxBacklogBytes;
        this.target = dir.resolve(SnapshotFormat.fileName(startZxid));
        this.temp = dir.resolve(SnapshotFormat.fileName(startZxid) + SnapshotFormat.TEMP_SUFFIX);
    }

    /**
     * Start the writer thread; it creates {@code dir} if needed and writes the header.
     *
     * @param startZxid the cursor's {@code startZxid()}
     * @param sessions the live sessions when the cursor was made
     */
    public static SnapshotWriter start(Path dir, long startZxid, Collection<SnapshotSession> sessions) {
        return start(dir, startZxid, sessions, DEFAULT_MAX_BACKLOG_BYTES);
    }

    public static SnapshotWriter start(Path dir, long startZxid, Collection<SnapshotSession> sessions,
                                       long maxBacklogBytes) {
        SnapshotWriter writer = new SnapshotWriter(dir, startZxid, sessions, maxBacklogBytes);
        Thread thread = new Thread(writer::run, "snapshot-writer-" + Long.toHexString(startZxid));
        // A half-written temporary file is harmless, so a stuck disk must not hold up JVM exit.
        thread.setDaemon(true);
        thread.start();
        return writer;
    }

    public long startZxid() {
        return startZxid;
    }

    /** Owner thread: takes the image for writing. Dropped if the writer has already failed. */
    @Override
    public void node(NodeImage image) {
        if (closed) {
            throw new IllegalStateException("the snapshot writer was already finished or aborted");
        }
        if (completion.isDone()) {
            return;
        }
        batch.add(image);
        batchBytes += SnapshotFormat.estimatedSize(image);
        if (batch.size() >= BATCH) {
            handOff();
        }
    }

    /** True while the images waiting for the writer thread exceed the backlog limit. */
    public boolean backlogged() {
        return backlogBytes.get() + batchBytes >= maxBacklogBytes;
    }

    /**
     * Owner thread, after the cursor is done: write the footer, fsync, and publish the file.
     *
     * @param endZxid the cursor's {@code endZxid()}
     * @return completes with the snapshot's path once it is durable, or exceptionally
     */
    public CompletableFuture<Path> finish(long endZxid) {
        if (!closed) {
            closed = true;
            handOff();
            queue.add(new End(endZxid));
        }
        return completion;
    }

    /** Give up: the temporary file is removed and {@link #completion()} fails with a CancellationException. */
    public void abort() {
        if (!closed) {
            closed = true;
            batch = new ArrayList<>();
            queue.add(ABORT);
        }
    }

    public CompletableFuture<Path> completion() {
        return completion;
    }

    private void handOff() {
        if (batch.isEmpty()) {
            return;
        }
        backlogBytes.addAndGet(batchBytes);
        queue.add(new Batch(batch, batchBytes));
        batch = new ArrayList<>(BATCH);
        batchBytes = 0;
    }

    private void run() {
        try {
            Files.createDirectories(dir);
            long started = System.nanoTime();
            long[] counts = writeTemp();
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(dir);
            LOG.info("Snapshot {} written: {} nodes, {} sessions, zxids 0x{} to 0x{}, {} ms", target, counts[0],
                    sessions.size(), Long.toHexString(startZxid), Long.toHexString(counts[1]),
                    (System.nanoTime() - started) / 1_000_000);
            completion.complete(target);
        } catch (Throwable e) {
            deleteTemp();
            if (e instanceof CancellationException) {
                LOG.info("Snapshot {} abandoned", target);
            } else {
                LOG.warn("Snapshot {} failed", target, e);
            }
            completion.completeExceptionally(e);
            queue.clear();
        }
    }

    /** @return node count and endZxid */
    private long[] writeTemp() throws IOException, InterruptedException {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            CRC32C crc = new CRC32C();
            // Not closed: closing would close the channel before force().
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                    new CheckedOutputStream(Channels.newOutputStream(channel), crc), BUFFER));
            SnapshotFormat.writeHeader(out, startZxid, sessions);
            long nodes = 0;
            long newestImage = startZxid;
            long endZxid;
            while (true) {
                Object item = queue.take();
                if (item instanceof End end) {
                    endZxid = end.endZxid();
                    break;
                }
                if (item == ABORT) {
                    throw new CancellationException("snapshot aborted");
                }
                Batch next = (Batch) item;
                for (NodeImage node : next.nodes()) {
                    SnapshotFormat.writeNode(out, node);
                    newestImage = Math.max(newestImage, node.serializedAt());
                }
                nodes += next.nodes().size();
                backlogBytes.addAndGet(-next.bytes());
            }
            if (endZxid < newestImage) {
                throw new IllegalArgumentException("end zxid 0x" + Long.toHexString(endZxid)
                        + " is older than a node image from 0x" + Long.toHexString(newestImage));
            }
            out.writeByte(SnapshotFormat.END);
            out.writeLong(nodes);
            out.writeLong(endZxid);
            out.flush();
            int checksum = (int) crc.getValue();
            out.writeInt(checksum);
            out.writeInt(SnapshotFormat.FOOTER_MAGIC);
            out.flush();
            channel.force(true);
            return new long[] {nodes, endZxid};
        }
    }

    private void deleteTemp() {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            LOG.warn("Could not remove {}", temp, e);
        }
    }

    /** Makes a rename durable: without it a crash can bring back the directory without the new name. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
