package dev.meerkat.recipes;

import dev.meerkat.testkit.InProcessZooKeeper;
import dev.meerkat.testkit.TestServer;

import dev.meerkat.server.EmbeddedEnsemble;
import dev.meerkat.server.EmbeddedMeerkat;

/**
 * The servers every recipe test runs against, with the same assertions: Meerkat standalone, a
 * three-server Meerkat ensemble, and Apache ZooKeeper 3.9.5. A target hands out a connect string
 * and a port for a proxy to stand in front of (for the ensemble, one member's).
 */
enum Target {
    MEERKAT {
        @Override
        TestServer start() {
            EmbeddedMeerkat meerkat = EmbeddedMeerkat.start(b -> b.tickTime(TICK_MS));
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
    /** Three Meerkat servers; clients pick any of them, proxies stand in front of a follower. */
    MEERKAT_ENSEMBLE {
        @Override
        TestServer start() {
            EmbeddedEnsemble ensemble = EmbeddedEnsemble.start(3, 0, TICK_MS, b -> b);
            int port = ensemble.clientPort(ensemble.followers().get(0));
            return new TestServer() {
                @Override
                public String connectString() {
                    return ensemble.connectString();
                }

                @Override
                public int port() {
                    return port;
                }

                @Override
                public void close() {
                    ensemble.close();
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

    /** A short tick keeps sessions short: 400 ms to 4 s on both servers. */
    static final int TICK_MS = 200;
    static final int MAX_SESSION_MS = 20 * TICK_MS;

    abstract TestServer start();
}
