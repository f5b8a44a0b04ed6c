package dev.meerkat.client;

import dev.meerkat.testkit.InProcessZooKeeper;
import dev.meerkat.testkit.TestServer;

import dev.meerkat.server.EmbeddedMeerkat;

/**
 * The two servers the client's tests run against: the same assertions must hold for Meerkat and for
 * Apache ZooKeeper 3.9.5, so the client is no bet on either.
 */
enum Target {
    MEERKAT {
        @Override
        TestServer start() {
            EmbeddedMeerkat meerkat = EmbeddedMeerkat.start(b -> b.tickTime(TICK_MS).extendedTypesEnabled(true));
            return new TestServer() {
                @Override
                public String connectString() {
                    return meerkat.connectString();
                }

                @Override
                public int port() {
                    return meerkat.port();
                }

                @Override
                public void close() {
                    meerkat.close();
                }
            };
        }
    },
    ZOOKEEPER {
        @Override
        TestServer start() {
            return InProcessZooKeeper.start(TICK_MS);
        }
    };

    /** A short tick keeps session tests quick: sessions of 400 ms to 4 s on both servers. */
    static final int TICK_MS = 200;
    /** The longest session the servers grant at that tick. */
    static final int MAX_SESSION_MS = 20 * TICK_MS;

    abstract TestServer start();
}
