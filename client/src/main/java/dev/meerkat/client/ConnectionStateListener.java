package dev.meerkat.client;

/** Told of every {@link ConnectionState} change, on the client's event thread. */
@FunctionalInterface
public interface ConnectionStateListener {
    void stateChanged(ConnectionState newState);
}
