package dev.meerkat.server.storage;

import java.nio.file.Path;

/**
 * A snapshot file that cannot be trusted: torn, truncated, bit-flipped, or not a snapshot at all.
 * When every snapshot in a directory is corrupt the loader throws one naming them all (with each
 * file's own exception suppressed in it), because starting from an empty tree would silently lose
 * everything the snapshots held (ZOOKEEPER-2325).
 */
public class SnapshotCorruptException extends Exception {

    private final Path file;

    public SnapshotCorruptException(Path file, String message) {
        super(message);
        this.file = file;
    }

    public SnapshotCorruptException(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The corrupt file, or the directory when all of its snapshots are corrupt. */
    public Path file() {
        return file;
    }
}
