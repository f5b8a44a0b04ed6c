package dev.meerkat.server.session;

/**
 * One client session as the {@link SessionTracker} sees it. Only the tracker changes it, so
 * everything other code can reach is read-only.
 */
public final class Session {
    private final long id;
    private final byte[] password;
    private int timeout;
    private boolean closing;
    private long expiryTime;

    Session(long id, int timeout, byte[] password) {
        this.id = id;
        this.timeout = timeout;
        this.password = password.clone();
    }

    public long id() {
        return id;
    }

    /** The negotiated timeout in milliseconds; the next touch uses it. */
    public int timeout() {
        return timeout;
    }

    /** A copy, so that a caller writing it into a reply cannot change the stored secret. */
    public byte[] password() {
        return password.clone();
    }

    /**
     * True once the session has expired or a close has been asked for. A closing session can no
     * longer be touched or re-attached to; it stays in the tracker until it is removed, when its
     * closeSession transaction has been applied.
     */
    public boolean isClosing() {
        return closing;
    }

    /** The expiry bucket the session was last placed in (a multiple of tickTime). */
    public long expiryTime() {
        return expiryTime;
    }

    byte[] passwordRef() {
        return password;
    }

    void setTimeout(int timeout) {
        this.timeout = timeout;
    }

    void markClosing() {
        this.closing = true;
    }

    void setExpiryTime(long expiryTime) {
        this.expiryTime = expiryTime;
    }

    @Override
    public String toString() {
        return "Session[0x" + Long.toHexString(id) + ", timeout=" + timeout
                + (closing ? ", closing" : "") + ", expires=" + expiryTime + "]";
    }
}
