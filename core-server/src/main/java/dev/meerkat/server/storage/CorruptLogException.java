package dev.meerkat.server.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The log is damaged where damage cannot be a crash artifact: in a segment that was complete
 * before the next one began, before records that are intact, or where a segment is missing.
 * Starting anyway would silently lose acknowledged txns, so recovery stops and names the spot;
 * an operator (or a full resync from the leader) has to decide.
 */
public class CorruptLogException extends IOException {
    private final Path file;
    private final long offset;

    public CorruptLogException(Path file, long offset, String reason) {
        super(file + " at byte offset " + offset + ": " + reason);
        this.file = file;
        this.offset = offset;
    }

    /** The segment file in which the problem was found. */
    public Path file() {
        return file;
    }

    /** The byte offset within {@link #file()} of the damaged record or header field. */
    public long offset() {
        return offset;
    }
}
