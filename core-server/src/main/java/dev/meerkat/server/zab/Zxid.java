package dev.meerkat.server.zab;

/**
 * A zxid is {@code epoch << 32 | counter}: the epoch of the leader that proposed the txn and the
 * position of the txn in that leader's sequence, starting at 1. Zxid 0 is the empty state.
 *
 * <p>Every server's log is, epoch by epoch, a contiguous run of one leader's counters, so "does
 * {@code next} directly follow {@code prev}" can be answered from the two numbers alone. That check
 * is what keeps holes out of logs (ZOOKEEPER-4925).
 */
public final class Zxid {
    public static final long COUNTER_MASK = 0xffff_ffffL;
    /** ZooKeeper forces a new election rather than let the counter roll over into the epoch bits. */
    public static final long MAX_COUNTER = 0xffff_fffeL;

    private Zxid() {
    }

    public static long of(long epoch, long counter) {
        if (epoch < 0 || epoch > COUNTER_MASK || counter < 0 || counter > COUNTER_MASK) {
            throw new IllegalArgumentException("epoch " + epoch + " / counter " + counter + " out of range");
        }
        return epoch << 32 | counter;
    }

    public static long epoch(long zxid) {
        return zxid >>> 32;
    }

    public static long counter(long zxid) {
        return zxid & COUNTER_MASK;
    }

    /**
     * Whether {@code next} may be the entry right after {@code prev} in a log: the next counter of
     * the same epoch, or the first counter of a later epoch.
     */
    public static boolean follows(long prev, long next) {
        long pe = epoch(prev);
        long ne = epoch(next);
        if (ne == pe) {
            return counter(next) == counter(prev) + 1;
        }
        return ne > pe && counter(next) == 1;
    }

    public static String toString(long zxid) {
        if (zxid < 0) {
            return "none";
        }
        return epoch(zxid) + ":" + counter(zxid);
    }
}
