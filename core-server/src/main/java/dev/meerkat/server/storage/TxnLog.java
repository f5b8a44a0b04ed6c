package dev.meerkat.server.storage;

import dev.meerkat.server.storage.Segments.ScanResult;
import dev.meerkat.server.storage.Segments.SegmentFile;
import dev.meerkat.server.txn.Txn;
import dev.meerkat.server.txn.TxnHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * The transaction log: append-only segment files in one directory, each named for the first zxid
 * it holds (format in {@link Segments}). Appends are buffered; {@link #sync()} makes them durable
 * with one fsync. Segments are preallocated with zeros in blocks so that an append rewrites data
 * blocks the file already owns and an fsync has no file metadata to commit.
 *
 * <p>One thread writes (append, sync, roll, close); {@link #lastZxid()}, {@link #durableZxid()} and
 * {@link #syncStats()} may be read from any thread.
 *
 * <p>Crash safety rests on three orders: a segment is fsynced in full before the next one gets
 * any bytes (so only the newest can have a torn end); a new segment's directory entry is fsynced
 * with its first data; and when a log is reopened, everything after the last intact record is
 * zeroed before anything new is written (so no stale record can ever line up behind a new one).
 */
public final class TxnLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TxnLog.class);

    /** The most {@link #ensureAllocated} zero-fills at a time. */
    static final long FILL_STEP = 1L << 20;
    /** Appends buffer this much before it is written out even without a sync. */
    private static final int WRITE_THRESHOLD = 1 << 20;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20).asReadOnlyBuffer();

    /** The force step, replaceable so that tests can delay or fail an fsync. */
    @FunctionalInterface
    public interface Syncer {
        Syncer FORCE = channel -> channel.force(false);

        void sync(FileChannel channel) throws IOException;
    }

    /**
     * @param preallocBytes a segment's file grows in blocks of this size (at most 1 MiB at a time),
     *     filled with zeros; 0
     *     lets it grow with each write
     * @param segmentBytes once this many bytes are written to a segment, the next append starts a
     *     new one
     * @param forceSync false skips every fsync (ZooKeeper's forceSync=no): only for tests and
     *     benchmarks, as nothing is then durable
     * @param slowSyncWarning an fsync that takes longer is logged as a warning
     * @param syncer how a segment is forced to disk
     */
    public record Options(long preallocBytes, long segmentBytes, boolean forceSync, Duration slowSyncWarning,
            Syncer syncer) {
        public static final long DEFAULT_BLOCK_BYTES = 64L << 20;
        /** Keeps every segment within one memory mapping for reading, with room for its last record. */
        public static final long MAX_SEGMENT_BYTES = 1L << 30;
        public static final long MAX_PREALLOC_BYTES = 256L << 20;

        public Options {
            if (preallocBytes < 0 || preallocBytes > MAX_PREALLOC_BYTES) {
                throw new IllegalArgumentException("preallocBytes must be in [0, " + MAX_PREALLOC_BYTES + "]: "
                        + preallocBytes);
            }
            if (segmentBytes <= Segments.HEADER_BYTES || segmentBytes > MAX_SEGMENT_BYTES) {
                throw new IllegalArgumentException("segmentBytes must be in (" + Segments.HEADER_BYTES + ", "
                        + MAX_SEGMENT_BYTES + "]: " + segmentBytes);
            }
            Objects.requireNonNull(slowSyncWarning, "slowSyncWarning");
            if (slowSyncWarning.isNegative()) {
                throw new IllegalArgumentException("slowSyncWarning must not be negative: " + slowSyncWarning);
            }
            Objects.requireNonNull(syncer, "syncer");
        }

        public static Options defaults() {
            return new Options(DEFAULT_BLOCK_BYTES, DEFAULT_BLOCK_BYTES, true, Duration.ofSeconds(1), Syncer.FORCE);
        }

        public Options withPreallocBytes(long bytes) {
            return new Options(bytes, segmentBytes, forceSync, slowSyncWarning, syncer);
        }

        public Options withSegmentBytes(long bytes) {
            return new Options(preallocBytes, bytes, forceSync, slowSyncWarning, syncer);
        }

        public Options withForceSync(boolean force) {
            return new Options(preallocBytes, segmentBytes, force, slowSyncWarning, syncer);
        }

        public Options withSlowSyncWarning(Duration threshold) {
            return new Options(preallocBytes, segmentBytes, forceSync, threshold, syncer);
        }

        public Options withSyncer(Syncer s) {
            return new Options(preallocBytes, segmentBytes, forceSync, slowSyncWarning, s);
        }
    }

    /**
     * What recovery found.
     *
     * @param lastZxid the zxid of the last intact txn in the segments read, or -1 if they hold none
     * @param replayed how many entries went to the sink (those above fromZxid)
     * @param tornSegment the last segment if its end is torn, else null
     * @param tornOffset where the torn part starts: the writer truncates there on {@link #open}
     * @param tornReason what was found at tornOffset
     */
    public record Recovery(long lastZxid, long replayed, Path tornSegment, long tornOffset, String tornReason) {
        public boolean torn() {
            return tornSegment != null;
        }
    }

    /** Fsync figures, for benchmarks and metrics. Times are in nanoseconds. */
    public record SyncStats(long count, long totalNanos, long maxNanos, long lastNanos, long slowCount) {
    }

    private final Path dir;
    private final Options opts;

    private FileChannel channel;
    private Path segmentPath;
    /** File offset where the next buffered byte goes. */
    private long writePos;
    /** The file's size: everything from writePos up to here is zeros. */
    private long allocated;
    private ByteBuffer pending = ByteBuffer.allocate(64 << 10);
    private boolean rollRequested;
    /** Bytes went to the current channel since it was last forced. */
    private boolean unforced;
    private boolean directoryUnsynced;
    private IOException failure;
    private boolean closed;

    private volatile long lastZxid;
    private volatile long durableZxid;

    private volatile long syncCount;
    private volatile long syncNanosTotal;
    private volatile long syncNanosMax;
    private volatile long syncNanosLast;
    private volatile long slowSyncCount;

    private TxnLog(Path dir, Options opts) {
        this.dir = dir;
        this.opts = opts;
    }

    /**
     * Opens the log in {@code dir} (created if missing) for appending after its last intact txn.
     * A torn end of the last segment is cut off and zeroed; empty segments at the end are deleted.
     * Only the newest non-empty segment is checked here: {@link #read} is what checks the whole log,
     * and recovery runs it first.
     */
    public static TxnLog open(Path dir, Options opts) throws IOException {
        Files.createDirectories(dir);
        TxnLog log = new TxnLog(dir, opts);
        try {
            log.resume();
        } catch (IOException | RuntimeException e) {
            if (log.channel != null) {
                log.channel.close();
            }
            throw e;
        }
        return log;
    }

    private void resume() throws IOException {
        List<SegmentFile> segs = Segments.list(dir);
        List<ScanResult> emptyTail = new ArrayList<>();
        ScanResult keep = null;
        for (int k = segs.size() - 1; k >= 0 && keep == null; k--) {
            long next = k + 1 < segs.size() ? segs.get(k + 1).firstZxid() : Long.MAX_VALUE;
            ScanResult r = Segments.scan(segs.get(k), k == segs.size() - 1, next, Segments.UNKNOWN,
                    Long.MAX_VALUE, null);
            if (r.records() == 0) {
                emptyTail.add(r);
            } else {
                keep = r;
            }
        }
        long before = keep != null ? keep.lastZxid() : Segments.NO_ZXID;
        for (ScanResult empty : emptyTail) {
            if (empty.hasHeader() && keep != null && empty.headerPrevZxid() != before) {
                throw new CorruptLogException(empty.segment().path(), Segments.PREV_ZXID_OFFSET,
                        "empty segment follows zxid 0x" + Long.toHexString(empty.headerPrevZxid())
                        + " but the log before it ends at 0x" + Long.toHexString(before));
            }
            if (empty.hasHeader() && keep == null && before == Segments.NO_ZXID) {
                before = empty.headerPrevZxid();
            }
        }
        // An empty segment is named for a zxid that never made it to disk; the next append may
        // carry a different one, so the file goes rather than being continued under a wrong name.
        for (ScanResult empty : emptyTail) {
            Files.delete(empty.segment().path());
            LOG.info("Removed empty log segment {}", empty.segment().path());
        }
        if (!emptyTail.isEmpty() && opts.forceSync()) {
            Segments.syncDirectory(dir);
        }
        lastZxid = before;
        durableZxid = before;
        if (keep == null) {
            return;
        }
        segmentPath = keep.segment().path();
        channel = FileChannel.open(segmentPath, StandardOpenOption.READ, StandardOpenOption.WRITE);
        writePos = keep.goodEnd();
        allocated = keep.size();
        boolean tailClean = emptyTail.isEmpty() && keep.tailZero();
        if (!tailClean) {
            if (keep.torn()) {
                LOG.warn("Log segment {} has a torn end at offset {} ({}); cutting off {} bytes and"
                        + " continuing after zxid 0x{}", segmentPath, writePos, keep.tornReason(),
                        keep.size() - writePos, Long.toHexString(keep.lastZxid()));
            }
            channel.truncate(writePos);
            allocated = writePos;
            ensureAllocated(writePos + 1);
            if (opts.forceSync()) {
                channel.force(true);
            }
        }
    }

    /**
     * Replays every intact txn with a zxid above {@code fromZxid}, in order, into {@code sink}, and
     * checks the log on the way: see {@link Segments#scan} for what is a torn end (reported in the
     * result, left on disk for {@link #open} to cut) and what is corruption (thrown). Segments that
     * end at or before fromZxid are not read.
     *
     * @throws CorruptLogException for damage or a gap anywhere but a torn end of the last segment,
     *     including a log that starts after fromZxid
     */
    public static Recovery read(Path dir, long fromZxid, Consumer<Entry> sink) throws IOException {
        Objects.requireNonNull(sink, "sink");
        List<SegmentFile> segs = Segments.list(dir);
        int start = 0;
        for (int k = 0; k < segs.size(); k++) {
            if (segs.get(k).firstZxid() - 1 <= fromZxid) {
                start = k;
            }
        }
        long[] replayed = {0};
        Consumer<Entry> counting = e -> {
            sink.accept(e);
            replayed[0]++;
        };
        long prev = Segments.UNKNOWN;
        long lastSeen = Segments.NO_ZXID;
        ScanResult tail = null;
        for (int k = start; k < segs.size(); k++) {
            boolean last = k == segs.size() - 1;
            long next = last ? Long.MAX_VALUE : segs.get(k + 1).firstZxid();
            ScanResult r = Segments.scan(segs.get(k), last, next, prev, fromZxid, counting);
            if (r.records() > 0) {
                prev = r.lastZxid();
                lastSeen = r.lastZxid();
            } else if (r.hasHeader() && prev == Segments.UNKNOWN && r.headerPrevZxid() != Segments.NO_ZXID) {
                prev = r.headerPrevZxid();
            }
            tail = r;
        }
        if (tail != null && tail.torn()) {
            return new Recovery(lastSeen, replayed[0], tail.segment().path(), tail.goodEnd(), tail.tornReason());
        }
        return new Recovery(lastSeen, replayed[0], null, -1, null);
    }

    /**
     * Deletes the segments that hold only txns at or below {@code snapshotZxid}: a segment goes when
     * the next one starts at or before snapshotZxid + 1. The newest segment always stays. Oldest
     * go first, so a crash part-way leaves a log without holes. Safe while a writer appends, since
     * the segment it writes to is the newest one purge sees.
     *
     * @return the deleted files
     */
    public static List<Path> purge(Path dir, long snapshotZxid) throws IOException {
        List<SegmentFile> segs = Segments.list(dir);
        List<Path> deleted = new ArrayList<>();
        for (int k = 0; k + 1 < segs.size() && segs.get(k + 1).firstZxid() - 1 <= snapshotZxid; k++) {
            Files.delete(segs.get(k).path());
            deleted.add(segs.get(k).path());
        }
        if (!deleted.isEmpty()) {
            Segments.syncDirectory(dir);
            LOG.info("Purged {} log segment(s) up to snapshot zxid 0x{}", deleted.size(),
                    Long.toHexString(snapshotZxid));
        }
        return deleted;
    }

    /**
     * Buffers a txn; it is durable once a later {@link #sync()} returns.
     *
     * @throws IllegalStateException if the zxid does not come after the last one appended: a log
     *     with txns out of order or repeated would replay a different history
     */
    public void append(TxnHeader h, Txn t) throws IOException {
        appendEncoded(h.zxid(), encode(h, t));
    }

    /** {@link TxnCodec#encode}, refusing what the log could not store or read back. */
    static byte[] encode(TxnHeader h, Txn t) {
        byte[] payload = TxnCodec.encode(h, t);
        if (payload.length > Segments.MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("txn of " + payload.length + " bytes exceeds the log's limit of "
                    + Segments.MAX_RECORD_BYTES);
        }
        return payload;
    }

    /**
     * Appends an already encoded txn ({@link TxnCodec} bytes, as a ZAB proposal carries them), so
     * that a caller can encode off the writer thread.
     */
    public void appendEncoded(long zxid, byte[] payload) throws IOException {
        checkUsable();
        checkOrder(zxid);
        try {
            if (channel == null || rollRequested || writePos + pending.position() >= opts.segmentBytes()) {
                startSegment(zxid);
            }
            int need = Segments.RECORD_OVERHEAD + payload.length;
            if (pending.remaining() < need) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(pending.capacity() * 2, pending.position() + need));
                pending.flip();
                bigger.put(pending);
                pending = bigger;
            }
            CRC32C crc = new CRC32C();
            crc.update(payload);
            pending.putInt(payload.length).putInt((int) crc.getValue()).put(payload);
            lastZxid = zxid;
            if (pending.position() >= WRITE_THRESHOLD) {
                writePending();
            }
        } catch (IOException e) {
            throw fail(e);
        }
    }

    /**
     * Writes what is buffered and forces it to disk.
     *
     * @return the last durable zxid (-1 if the log has never held a txn)
     */
    public long sync() throws IOException {
        checkUsable();
        try {
            writePending();
            forceCurrent();
        } catch (IOException e) {
            throw fail(e);
        }
        durableZxid = lastZxid;
        return durableZxid;
    }

    /**
     * Cuts the log after {@code zxid}: later records are gone, durably, when this returns (a
     * leader's TRUNC). Segments that start after it are deleted newest first, so a crash part-way
     * leaves a shorter log without holes; the segment holding it is cut after its record.
     */
    public void truncateAfter(long zxid) throws IOException {
        checkUsable();
        try {
            writePending();
            forceCurrent();
            closeChannel();
            List<SegmentFile> segs = Segments.list(dir);
            boolean deleted = false;
            for (int k = segs.size() - 1; k >= 0 && segs.get(k).firstZxid() > zxid; k--) {
                Files.delete(segs.get(k).path());
                segs.remove(k);
                deleted = true;
            }
            if (deleted) {
                Segments.syncDirectory(dir);
            }
            if (!segs.isEmpty()) {
                SegmentFile newest = segs.get(segs.size() - 1);
                long end = Segments.endThrough(newest, zxid);
                try (FileChannel ch = FileChannel.open(newest.path(), StandardOpenOption.WRITE)) {
                    if (ch.size() > end) {
                        ch.truncate(end);
                        ch.force(true);
                    }
                }
            }
            resume();
            LOG.info("Log cut after zxid 0x{}; it now ends at 0x{}", Long.toHexString(zxid),
                    Long.toHexString(lastZxid));
        } catch (IOException e) {
            throw fail(e);
        }
    }

    /**
     * Deletes every segment: the log starts again after {@code zxid}, the zxid of a snapshot that
     * now stands for everything before (a SNAP from the leader, written before this is called).
     */
    public void reset(long zxid) throws IOException {
        checkUsable();
        try {
            pending.clear();
            closeChannel();
            List<SegmentFile> segs = Segments.list(dir);
            for (int k = segs.size() - 1; k >= 0; k--) {
                Files.delete(segs.get(k).path());
            }
            Segments.syncDirectory(dir);
            lastZxid = zxid;
            durableZxid = zxid;
            LOG.info("Log emptied; it continues after snapshot zxid 0x{}", Long.toHexString(zxid));
        } catch (IOException e) {
            throw fail(e);
        }
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
        rollRequested = false;
        unforced = false;
        directoryUnsynced = false;
    }

    /** The next append starts a new segment. */
    public void roll() {
        if (channel != null) {
            rollRequested = true;
        }
    }

    /** The zxid of the last txn appended, durable or not; -1 if the log has never held one. */
    public long lastZxid() {
        return lastZxid;
    }

    /** The zxid up to which the log is on disk, as of the last {@link #sync()}. */
    public long durableZxid() {
        return durableZxid;
    }

    public SyncStats syncStats() {
        return new SyncStats(syncCount, syncNanosTotal, syncNanosMax, syncNanosLast, slowSyncCount);
    }

    public Path directory() {
        return dir;
    }

    /**
     * Syncs what was appended and closes the file. After a failure nothing more is written: the
     * file is only closed.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            if (failure == null && channel != null) {
                sync();
            }
        } finally {
            closed = true;
            if (channel != null) {
                channel.close();
                channel = null;
            }
        }
    }

    private void startSegment(long firstZxid) throws IOException {
        if (channel != null) {
            // The whole segment reaches the disk before the next one gets a byte, so that only the
            // newest segment can ever have a torn end.
            writePending();
            forceCurrent();
            durableZxid = lastZxid;
            channel.truncate(writePos);
            channel.close();
            channel = null;
        }
        rollRequested = false;
        segmentPath = dir.resolve(Segments.fileName(firstZxid));
        channel = FileChannel.open(segmentPath, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        writeFully(Segments.header(lastZxid), 0);
        writePos = Segments.HEADER_BYTES;
        allocated = Segments.HEADER_BYTES;
        ensureAllocated(writePos + 1);
        unforced = true;
        directoryUnsynced = true;
    }

    private void writePending() throws IOException {
        if (pending.position() == 0) {
            return;
        }
        ensureAllocated(writePos + pending.position());
        pending.flip();
        writeFully(pending, writePos);
        writePos += pending.limit();
        pending.clear();
        unforced = true;
    }

    private void forceCurrent() throws IOException {
        if (channel == null || !unforced) {
            return;
        }
        if (opts.forceSync()) {
            long start = System.nanoTime();
            opts.syncer().sync(channel);
            long took = System.nanoTime() - start;
            syncCount++;
            syncNanosTotal += took;
            syncNanosLast = took;
            if (took > syncNanosMax) {
                syncNanosMax = took;
            }
            if (took > opts.slowSyncWarning().toNanos()) {
                slowSyncCount++;
                LOG.warn("fsync of {} took {} ms (warning above {} ms); every write waits for it",
                        segmentPath.getFileName(), took / 1_000_000, opts.slowSyncWarning().toMillis());
            }
            if (directoryUnsynced) {
                Segments.syncDirectory(dir);
            }
        }
        directoryUnsynced = false;
        unforced = false;
    }

    /**
     * Grows the file with zeros so that it holds at least {@code end} bytes, in steps of the
     * preallocation size but at most {@link #FILL_STEP}: the zeros are written on this thread and
     * reach the disk with the next fsync, so filling a 64 MiB block at once held one batch of
     * writes for a hundred milliseconds and more (the write p99.9). A step of 1 MiB costs about a
     * millisecond once per thousand 1 KiB txns.
     */
    private void ensureAllocated(long end) throws IOException {
        long block = Math.min(opts.preallocBytes(), FILL_STEP);
        if (block == 0 || end <= allocated) {
            return;
        }
        long target = (end + block - 1) / block * block;
        long pos = allocated;
        while (pos < target) {
            ByteBuffer z = ZEROS.duplicate();
            z.limit((int) Math.min(z.capacity(), target - pos));
            pos += channel.write(z, pos);
        }
        allocated = target;
        unforced = true;
    }

    private void writeFully(ByteBuffer b, long position) throws IOException {
        long pos = position;
        while (b.hasRemaining()) {
            pos += channel.write(b, pos);
        }
    }

    private void checkOrder(long zxid) {
        if (zxid <= lastZxid) {
            throw new IllegalStateException("zxid 0x" + Long.toHexString(zxid)
                    + " does not come after the last logged zxid 0x" + Long.toHexString(lastZxid));
        }
    }

    private void checkUsable() throws IOException {
        if (closed) {
            throw new IllegalStateException("transaction log " + dir + " is closed");
        }
        if (failure != null) {
            throw new IOException("transaction log " + dir + " failed earlier and accepts nothing more", failure);
        }
    }

    /**
     * After a failed write or fsync the kernel may have dropped the dirty pages and marked them
     * clean, so a retried fsync can succeed without the data being on disk. The log therefore
     * never tries again.
     */
    private IOException fail(IOException e) {
        failure = e;
        return e;
    }
}
