package dev.meerkat.client;

/**
 * What a client knows about its session. Listeners get each change on the client's event thread,
 * in the order they happened and in line with watch events.
 */
public enum ConnectionState {
    /** The first connection is up and the session exists. */
    CONNECTED,
    /**
     * The connection dropped; the client is reconnecting and the session may still live on the
     * servers. Ephemerals may vanish at any moment from here on, so a holder of a lock or of
     * leadership must stop acting as one until RECONNECTED.
     */
    SUSPENDED,
    /** Connected again to the same session, with its ephemerals, credentials and watches. */
    RECONNECTED,
    /**
     * The session is gone: the server said so, or nothing was heard from any server for the whole
     * session timeout. Its ephemerals and watches are gone and this client is dead; make a new one.
     */
    EXPIRED,
    /** {@link MeerkatClient#close()} finished, or the first connection could not be made. */
    CLOSED;

    /** Whether requests can be sent right now. */
    public boolean isConnected() {
        return this == CONNECTED || this == RECONNECTED;
    }

    /** Whether the client is done for good. */
    public boolean isTerminal() {
        return this == EXPIRED || this == CLOSED;
    }
}
