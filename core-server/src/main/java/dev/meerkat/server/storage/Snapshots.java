package dev.meerkat.server.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The snapshots of a data directory: listing, choosing the one to recover from, and retention.
 *
 * <p>On start-up, {@link #loadNewest} answers one of three ways, and recovery must treat them
 * differently: a snapshot (replay the log after its start zxid); empty, meaning there is no
 * snapshot file at all (a fresh data directory: start from {@code new DataTree()} and replay the
 * whole log, which must then begin at the first zxid); or a {@link SnapshotCorruptException},
 * meaning snapshots exist and none can be read, which must stop the server rather than let it
 * come up with an empty tree (ZOOKEEPER-2325). In both non-error cases the log is always
 * replayed (ZOOKEEPER-3644).
 */
public final class Snapshots {

    private static final Logger LOG = LoggerFactory.getLogger(Snapshots.class);

    /** ZooKeeper's lower bound for autopurge.snapRetainCount. */
    public static final int MIN_RETAIN_COUNT = 3;

    private Snapshots() {
    }

    /** {@code snapshot.<zxid as 16 hex digits>}. */
    public static String fileName(long zxid) {
        return SnapshotFormat.fileName(zxid);
    }

    /** The start zxid in a snapshot file's name; empty for any other file, temporary ones included. */
    public static OptionalLong zxidOf(Path file) {
        return SnapshotFormat.zxidOf(file);
    }

    /** The snapshot files in {@code dir}, newest first; empty if the directory does not exist. */
    public static List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, SnapshotFormat.PREFIX + "*")) {
            for (Path file : files) {
                if (zxidOf(file).isPresent() && Files.isRegularFile(file)) {
                    out.add(file);
                }
            }
        } catch (NoSuchFileException e) {
            return out;
        }
        out.sort(Comparator.comparingLong((Path p) -> zxidOf(p).getAsLong()).reversed());
        return out;
    }

    /**
     * The newest snapshot that reads whole with a matching CRC; each newer corrupt one is skipped
     * with a WARN that names it.
     *
     * @return empty only if {@code dir} holds no snapshot file at all
     * @throws SnapshotCorruptException if there are snapshot files and every one is corrupt; each
     *     file's own exception is suppressed in it
     * @throws IOException if a file cannot be read (a disk error, not corruption)
     */
    public static Optional<Snapshot> loadNewest(Path dir) throws IOException, SnapshotCorruptException {
        List<Path> files = list(dir);
        if (files.isEmpty()) {
            return Optional.empty();
        }
        List<SnapshotCorruptException> problems = new ArrayList<>();
        for (Path file : files) {
            try {
                Snapshot snapshot = SnapshotReader.read(file);
                if (!problems.isEmpty()) {
                    LOG.warn("Recovering from older snapshot {} because {} newer one(s) are corrupt", file,
                            problems.size());
                }
                return Optional.of(snapshot);
            } catch (SnapshotCorruptException e) {
                LOG.warn("Snapshot {} is corrupt, trying an older one: {}", file, e.getMessage());
                problems.add(e);
            }
        }
        SnapshotCorruptException all = new SnapshotCorruptException(dir, "all " + files.size()
                + " snapshots in " + dir + " are corrupt " + files.stream().map(p -> p.getFileName().toString()).toList()
                + "; refusing to start from an empty tree, which would lose their data");
        problems.forEach(all::addSuppressed);
        throw all;
    }

    /**
     * Keep the newest {@code retainCount} snapshots (autopurge.snapRetainCount; raised to
     * {@link #MIN_RETAIN_COUNT} if lower) and delete the older ones. Only snapshots that read
     * whole count towards the number kept, so that a run of corrupt new files cannot cause the
     * last good one to be deleted; corrupt files newer than the oldest one kept stay for
     * inspection. Each file examined is read through once to check its CRC.
     *
     * @return the start zxid of the oldest snapshot kept that reads whole: the log must keep every
     *     txn after it, and log segments holding only txns at or below it may be removed. Empty
     *     if there is no good snapshot, in which case nothing is deleted.
     */
    public static OptionalLong purge(Path dir, int retainCount) throws IOException {
        int retain = retainCount;
        if (retain < MIN_RETAIN_COUNT) {
            LOG.warn("snapRetainCount {} is below the minimum; keeping {}", retainCount, MIN_RETAIN_COUNT);
            retain = MIN_RETAIN_COUNT;
        }
        List<Path> files = list(dir);
        int good = 0;
        int keep = 0;
        long oldestKept = -1;
        while (keep < files.size() && good < retain) {
            Path file = files.get(keep);
            if (SnapshotReader.isValid(file)) {
                good++;
                oldestKept = zxidOf(file).getAsLong();
            }
            keep++;
        }
        if (good == 0) {
            return OptionalLong.empty();
        }
        for (Path file : files.subList(keep, files.size())) {
            Files.deleteIfExists(file);
            LOG.info("Purged snapshot {}", file);
        }
        return OptionalLong.of(oldestKept);
    }

    /**
     * Remove the temporary files of snapshots that a crash interrupted. Only at start-up: during
     * operation one of them may be a snapshot being written.
     *
     * @return how many were removed
     */
    public static int deleteTempFiles(Path dir) throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir,
                SnapshotFormat.PREFIX + "*" + SnapshotFormat.TEMP_SUFFIX)) {
            for (Path file : files) {
                Files.deleteIfExists(file);
                LOG.info("Removed unfinished snapshot {}", file);
                removed++;
            }
        } catch (NoSuchFileException e) {
            return 0;
        }
        return removed;
    }
}
