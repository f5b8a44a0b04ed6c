package dev.meerkat.server.zab;

/**
 * The application's state through {@code zxid}, as an opaque blob. It is the base of a log: the
 * log holds only the entries after it.
 *
 * <p>The core never reads {@code data}. A shell that does not want whole trees in memory may put a
 * small handle here (a snapshot file's name) and resolve it when it sends or installs the
 * snapshot; the core only passes the object along.
 */
public record Snapshot(long zxid, byte[] data) {
    /** The state before any txn. Every server shares it, so it is a common point of every two logs. */
    public static final Snapshot EMPTY = new Snapshot(0, new byte[0]);

    public Snapshot {
        if (zxid < 0) {
            throw new IllegalArgumentException("zxid " + zxid);
        }
        if (data == null) {
            throw new IllegalArgumentException("null data");
        }
    }

    @Override
    public String toString() {
        return "Snapshot[" + Zxid.toString(zxid) + ", " + data.length + "B]";
    }
}
