package dev.meerkat.server.zab;

/** A server's role in the ensemble, as ZooKeeper names it. */
public enum Role {
    /** Electing: voting, or (an observer) asking the voters who leads. */
    LOOKING,
    /** A voter that follows a leader: logs and acknowledges its proposals. */
    FOLLOWING,
    /** The voter that proposes; it may still be establishing its epoch, see {@link ZabNode#isServing()}. */
    LEADING,
    /** A non-voter that follows a leader: learns committed entries, never acknowledges or votes. */
    OBSERVING
}
