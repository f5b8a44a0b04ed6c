package dev.meerkat.testkit;

/** A server the tests talk to, on a loopback port of its own. */
public interface TestServer extends AutoCloseable {
    /** {@code 127.0.0.1:<port>}. */
    String connectString();

    int port();

    /** Stops the server and removes its data. */
    @Override
    void close();
}
