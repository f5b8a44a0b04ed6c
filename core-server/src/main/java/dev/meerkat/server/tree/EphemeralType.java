package dev.meerkat.server.tree;

/**
 * Reads ZooKeeper's overloaded {@code ephemeralOwner} field (§5.4 of the protocol notes): one long
 * says whether a node is persistent, a session's ephemeral, a container, or a TTL node.
 *
 * <p>Unlike ZooKeeper, the TTL encoding is always recognised, not only when
 * {@code zookeeper.extendedTypesEnabled} is set: whether TTL nodes may be created is a question for
 * request validation, while reading a stored owner must not depend on a switch that can differ
 * between a log's writer and its reader.
 */
public final class EphemeralType {

    /** The stored owner of a container node. */
    public static final long CONTAINER_OWNER = Long.MIN_VALUE;

    /** The largest TTL the encoding can hold: 40 bits of milliseconds, about 34 years. */
    public static final long MAX_TTL = (1L << 40) - 1;

    /** The top byte 0xFF marks an "extended" owner; bits 40 to 55 then name the extended type. */
    private static final long EXTENDED_MASK = 0xFF00_0000_0000_0000L;
    private static final long EXTENDED_TYPE_MASK = 0x00FF_FF00_0000_0000L;
    /** The extended type number of TTL nodes is 0. */
    private static final long EXTENDED_TYPE_TTL = 0L;

    private EphemeralType() {
    }

    /**
     * The stored owner of a TTL node.
     *
     * @throws IllegalArgumentException unless {@code 0 < ttlMillis <= MAX_TTL}, as ZooKeeper's
     *     TTL.toEphemeralOwner does, since anything else would corrupt the type bits
     */
    public static long ttlOwner(long ttlMillis) {
        if (ttlMillis <= 0 || ttlMillis > MAX_TTL) {
            throw new IllegalArgumentException("ttl must be in 1.." + MAX_TTL + ", was " + ttlMillis);
        }
        return EXTENDED_MASK | ttlMillis;
    }

    public static boolean isContainer(long owner) {
        return owner == CONTAINER_OWNER;
    }

    public static boolean isTtl(long owner) {
        return (owner & EXTENDED_MASK) == EXTENDED_MASK && (owner & EXTENDED_TYPE_MASK) == EXTENDED_TYPE_TTL;
    }

    /** The TTL in milliseconds of a TTL owner, 0 for any other owner. */
    public static long ttlOf(long owner) {
        return isTtl(owner) ? owner & MAX_TTL : 0L;
    }

    /** A real session owner: the node goes away with its session. */
    public static boolean isEphemeral(long owner) {
        return owner != 0 && !isContainer(owner) && !isTtl(owner);
    }

    /** What a client sees in Stat.ephemeralOwner: containers and TTL nodes report 0. */
    public static long reportedOwner(long owner) {
        return isContainer(owner) || isTtl(owner) ? 0L : owner;
    }
}
