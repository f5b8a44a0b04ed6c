package dev.meerkat.server.compat;

/** A server a compatibility test talks to, on a loopback port of its own. */
interface RunningServer extends AutoCloseable {
    /** {@code 127.0.0.1:<port>}. */
    String connectString();

    int port();

    /** Stops the server and removes its data directory. */
    @Override
    void close();
}
