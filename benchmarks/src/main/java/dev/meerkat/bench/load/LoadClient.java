package dev.meerkat.bench.load;

import java.io.IOException;
import java.util.List;

/**
 * The client library a load runs through: the {@link LoadGenerator}'s closed loop, statistics and
 * progress line are the same whichever it is, so two libraries can be compared against one server.
 * {@link #OFFICIAL} is Apache ZooKeeper's 3.9.5 Java client, {@link #MEERKAT} our own asynchronous
 * client (dev.meerkat.client).
 */
public interface LoadClient {
    LoadClient OFFICIAL = new OfficialLoadClient();
    LoadClient MEERKAT = new MeerkatLoadClient();

    /** The names {@link #named} knows, as given to {@code --client}. */
    List<String> NAMES = List.of(OFFICIAL.name(), MEERKAT.name());

    /** {@code official} or {@code meerkat}. */
    static LoadClient named(String name) {
        for (LoadClient c : List.of(OFFICIAL, MEERKAT)) {
            if (c.name().equalsIgnoreCase(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown client '" + name + "' (" + String.join(", ", NAMES) + ")");
    }

    /** The short name used in options, labels and results. */
    String name();

    /** A human-readable name, e.g. {@code ZooKeeper 3.9.5 client}. */
    String display();

    /** A connected session, or IOException if none is established within 30 s. */
    Session connect(String connectString, int sessionTimeoutMs) throws IOException, InterruptedException;

    /**
     * One session with its own connection. Each call sends one asynchronous request and returns
     * without waiting; {@code done} is called exactly once when the reply (or the failure) arrives,
     * on a thread of the client, and must be quick. Data and versions are not passed back: a load
     * only needs to know that a request ended, and how.
     */
    interface Session extends AutoCloseable {
        /** A persistent node with an open ACL, created so that the reply carries the Stat (create2). */
        void create(String path, byte[] data, Completion done, long startNanos);

        /** Unconditional (version -1). */
        void setData(String path, byte[] data, Completion done, long startNanos);

        void getData(String path, Completion done, long startNanos);

        void exists(String path, Completion done, long startNanos);

        /** Unconditional (version -1). */
        void delete(String path, Completion done, long startNanos);

        /** Closes the session; never throws. */
        @Override
        void close();
    }

    /** The end of one request. */
    @FunctionalInterface
    interface Completion {
        /**
         * @param startNanos what the caller passed with the request
         * @param error null on success, otherwise ZooKeeper's name of the error code (e.g.
         *     {@code NODEEXISTS}, {@code CONNECTIONLOSS}), the same for both clients
         */
        void completed(long startNanos, String error);
    }

    /** The error name of a node that already exists. */
    String NODE_EXISTS = "NODEEXISTS";
    /** The error name of a node that does not exist. */
    String NO_NODE = "NONODE";
}
