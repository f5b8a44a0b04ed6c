package dev.meerkat.cli.shell;

import dev.meerkat.testkit.InProcessZooKeeper;
import dev.meerkat.testkit.TestServer;

import dev.meerkat.server.EmbeddedMeerkat;

/** The servers the shell's tests run against: its output must be the same for both. */
enum Target {
    MEERKAT {
        @Override
        TestServer start() {
            EmbeddedMeerkat meerkat = EmbeddedMeerkat.start(b -> b.extendedTypesEnabled(true));
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
            return InProcessZooKeeper.start(2000);
        }
    };

    abstract TestServer start();
}
