package dev.meerkat.server.quorum;

import dev.meerkat.server.config.ServerConfig;
import dev.meerkat.server.storage.Snapshot;
import dev.meerkat.server.storage.SnapshotCorruptException;
import dev.meerkat.server.storage.SnapshotReader;
import dev.meerkat.server.storage.SnapshotSession;
import dev.meerkat.server.storage.Snapshots;
import dev.meerkat.server.storage.TxnCodec;
import dev.meerkat.server.storage.TxnLog;
import dev.meerkat.server.tree.DataTree;
import dev.meerkat.server.zab.HardState;
import dev.meerkat.server.zab.PersistentState;
import dev.meerkat.server.zab.Proposal;
import dev.meerkat.server.zab.Ready;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The disk of an ensemble member: what the ZAB core asks to keep ({@link Ready}'s snapshot,
 * truncation, entries and hard state), in the same files a standalone server uses (snapshots in
 * {@code dataDir/version-2}, log segments in {@code dataLogDir/version-2}) plus two small files
 * written atomically (temporary file, fsync, rename, directory fsync): {@code hardState} (the
 * acceptedEpoch and currentEpoch, together, ZOOKEEPER-2307) and {@code incarnation} (a boot
 * counter that numbers this server's learner sessions).
 *
 * <p>At start-up the tree is the newest snapshot <em>only</em>: the log entries after it are handed
 * to the core, which delivers them once it knows they are committed (a follower may hold entries a
 * new leader cuts off, ZOOKEEPER-2845).
 *
 * <p>{@link #write} runs on one disk thread, one Ready at a time; everything else at start-up or
 * on the request processor's thread.
 */
final class ZabStorage implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ZabStorage.class);
    private static final int HARD_STATE_MAGIC = 0x4d4b4853; // "MKHS"
    /** A {@link dev.meerkat.server.zab.Snapshot}'s data is this prefix and a file name, until it is sent. */
    private static final byte[] HANDLE = "meerkat-snapshot-file:".getBytes(StandardCharsets.UTF_8);

    private final Path snapshotDir;
    private final Path logDir;
    private final TxnLog log;
    private final long incarnation;
    private final PersistentState persistent;
    private final DataTree tree;
    private final Collection<SnapshotSession> sessions;

    private ZabStorage(Path snapshotDir, Path logDir, TxnLog log, long incarnation, PersistentState persistent,
                       DataTree tree, Collection<SnapshotSession> sessions) {
        this.snapshotDir = snapshotDir;
        this.logDir = logDir;
        this.log = log;
        this.incarnation = incarnation;
        this.persistent = persistent;
        this.tree = tree;
        this.sessions = sessions;
    }

    static ZabStorage open(ServerConfig config) throws IOException {
        Path snapshotDir = config.dataDir().resolve("version-2");
        Path logDir = config.dataLogDir().resolve("version-2");
        Files.createDirectories(snapshotDir);
        Files.createDirectories(logDir);
        Snapshots.deleteTempFiles(snapshotDir);
        long incarnation = readLong(snapshotDir.resolve("incarnation"), 0) + 1;
        writeLongs(snapshotDir.resolve("incarnation"), incarnation);

        Snapshot snapshot;
        try {
            snapshot = Snapshots.loadNewest(snapshotDir).orElse(null);
        } catch (SnapshotCorruptException e) {
            throw new IOException(e.getMessage(), e);
        }
        DataTree tree = snapshot == null ? new DataTree() : snapshot.tree();
        if (tree.isRecovering() && tree.lastProcessedZxid() >= tree.recoveryHorizon()) {
            tree.finishRecovery();
        }
        long base = snapshot == null ? 0 : snapshot.startZxid();
        List<Proposal> entries = new ArrayList<>();
        TxnLog.Recovery recovery = TxnLog.read(logDir, base,
                e -> entries.add(new Proposal(e.zxid(), TxnCodec.encode(e.header(), e.txn()))));
        if (recovery.torn()) {
            LOG.warn("The log ends in a torn record ({}) in {} at offset {}; it is cut off there",
                    recovery.tornReason(), recovery.tornSegment(), recovery.tornOffset());
        }
        TxnLog log = TxnLog.open(logDir, TxnLog.Options.defaults()
                .withForceSync(config.forceSync())
                .withPreallocBytes(config.preAllocSizeKb() * 1024L));
        HardState hard = readHardState(snapshotDir.resolve("hardState"));
        dev.meerkat.server.zab.Snapshot base0 = snapshot == null ? dev.meerkat.server.zab.Snapshot.EMPTY
                : new dev.meerkat.server.zab.Snapshot(base, handle(snapshot.file()));
        PersistentState persistent = new PersistentState(hard, base0, entries);
        LOG.info("Ensemble storage: {} (incarnation {}), snapshot at 0x{}, {} log entries after it",
                hard, incarnation, Long.toHexString(base), entries.size());
        return new ZabStorage(snapshotDir, logDir, log, incarnation, persistent, tree,
                snapshot == null ? List.of() : snapshot.sessions());
    }

    long incarnation() {
        return incarnation;
    }

    PersistentState persistent() {
        return persistent;
    }

    /** The tree of the newest snapshot (still replaying if the snapshot was fuzzy). */
    DataTree tree() {
        return tree;
    }

    Collection<SnapshotSession> sessions() {
        return sessions;
    }

    Path snapshotDir() {
        return snapshotDir;
    }

    Path logDir() {
        return logDir;
    }

    /** Writes every durable field of {@code rd} except the snapshot file (see {@link #writeSnapshot}), then fsyncs. */
    void write(Ready rd) throws IOException {
        boolean logChanged = false;
        if (rd.snapshot() != null) {
            log.reset(rd.snapshot().zxid());
        }
        if (rd.truncateAfter() != Ready.NO_TRUNCATION) {
            log.truncateAfter(rd.truncateAfter());
        }
        for (Proposal p : rd.entries()) {
            log.appendEncoded(p.zxid(), p.payload());
            logChanged = true;
        }
        if (logChanged) {
            log.sync();
        }
        if (rd.hardState() != null) {
            writeLongs(snapshotDir.resolve("hardState"), HARD_STATE_MAGIC, rd.hardState().acceptedEpoch(),
                    rd.hardState().currentEpoch());
        }
    }

    /**
     * Writes a snapshot the leader sent (whole file bytes) as this server's newest snapshot and
     * reads it back as a tree.
     */
    Snapshot writeSnapshot(dev.meerkat.server.zab.Snapshot s) throws IOException {
        Path file = snapshotDir.resolve(Snapshots.fileName(s.zxid()));
        Path temp = snapshotDir.resolve(file.getFileName() + ".recv.tmp");
        writeFileDurably(temp, file, ByteBuffer.wrap(s.data()));
        try {
            return SnapshotReader.read(file);
        } catch (SnapshotCorruptException e) {
            throw new IOException("the snapshot the leader sent does not read back: " + e.getMessage(), e);
        }
    }

    /** The core's stand-in for a snapshot file: its name, resolved to the bytes only when sent. */
    static byte[] handle(Path file) {
        byte[] name = file.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(HANDLE, HANDLE.length + name.length);
        System.arraycopy(name, 0, out, HANDLE.length, name.length);
        return out;
    }

    /** The snapshot with its file's bytes in place of a handle; unchanged if it holds bytes already. */
    static dev.meerkat.server.zab.Snapshot resolve(dev.meerkat.server.zab.Snapshot s) throws IOException {
        byte[] d = s.data();
        if (d.length < HANDLE.length || !Arrays.equals(d, 0, HANDLE.length, HANDLE, 0, HANDLE.length)) {
            return s;
        }
        Path file = Path.of(new String(d, HANDLE.length, d.length - HANDLE.length, StandardCharsets.UTF_8));
        return new dev.meerkat.server.zab.Snapshot(s.zxid(), Files.readAllBytes(file));
    }

    private static HardState readHardState(Path file) throws IOException {
        if (!Files.exists(file)) {
            return HardState.INITIAL;
        }
        long[] v = readLongs(file, 3);
        if (v[0] != HARD_STATE_MAGIC) {
            throw new IOException(file + " is not a Meerkat hard state file");
        }
        return new HardState(v[1], v[2]);
    }

    private static long readLong(Path file, long absent) throws IOException {
        return Files.exists(file) ? readLongs(file, 1)[0] : absent;
    }

    private static long[] readLongs(Path file, int n) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        if (b.remaining() != n * 8 + 4) {
            throw new IOException(file + " has " + b.remaining() + " bytes; expected " + (n * 8 + 4));
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, n * 8);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = b.getLong();
        }
        if (b.getInt() != (int) crc.getValue()) {
            throw new IOException(file + " fails its checksum; it was damaged (it is only ever replaced whole)");
        }
        return out;
    }

    private static void writeLongs(Path file, long... values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8 + 4);
        for (long v : values) {
            b.putLong(v);
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, values.length * 8);
        b.putInt((int) crc.getValue());
        b.flip();
        writeFileDurably(file.resolveSibling(file.getFileName() + ".tmp"), file, b);
    }

    /** Write a temporary file, fsync it, rename it over the target, fsync the directory. */
    private static void writeFileDurably(Path temp, Path target, ByteBuffer content) throws IOException {
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (content.hasRemaining()) {
                ch.write(content);
            }
            ch.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    @Override
    public void close() throws IOException {
        log.close();
    }
}
