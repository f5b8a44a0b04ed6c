package dev.meerkat.recipes;

import dev.meerkat.server.EmbeddedMeerkat;

/**
 * The servers every recipe test runs against, with the same assertions: Meerkat and Apache
 * ZooKeeper 3.9.5. A target only has to hand out a connect string and a port for a proxy to stand
 * in front of, so a three-server ensemble can be added as one more constant (its port being one
 * member's; a connect string naming all three).
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
