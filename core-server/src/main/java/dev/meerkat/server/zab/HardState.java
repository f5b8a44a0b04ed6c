package dev.meerkat.server.zab;

/**
 * The two epochs a server must never forget, written together as one atomic unit (write a temporary
 * file, fsync, rename): ZOOKEEPER-2307 came from writing them to two files in an order a crash could
 * split, leaving {@code acceptedEpoch < currentEpoch} on disk.
 *
 * @param acceptedEpoch the newest epoch this server has promised to follow (by acknowledging a
 *     LEADERINFO); it never again acknowledges a leader of an older epoch
 * @param currentEpoch the newest epoch whose initial history this server holds in full (set once
 *     the history synced from that epoch's leader is durable, just before acknowledging NEWLEADER)
 */
public record HardState(long acceptedEpoch, long currentEpoch) {
    public static final HardState INITIAL = new HardState(0, 0);

    public HardState {
        if (currentEpoch < 0 || acceptedEpoch < currentEpoch) {
            throw new IllegalArgumentException(
                    "acceptedEpoch " + acceptedEpoch + " must be at least currentEpoch " + currentEpoch);
        }
    }
}
