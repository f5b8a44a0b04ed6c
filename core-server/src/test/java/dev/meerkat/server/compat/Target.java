package dev.meerkat.server.compat;

import dev.meerkat.server.EmbeddedMeerkat;

/**
 * The two servers every compatibility test runs against. A test passes only if it passes on both:
 * ZooKeeper shows what the behaviour is, Meerkat has to match it.
 */
enum Target {
    MEERKAT {
        @Override
        RunningServer start(ServerOptions options) {
            EmbeddedMeerkat meerkat = EmbeddedMeerkat.start(b -> b
                    .tickTime(options.tickTime())
                    .extendedTypesEnabled(options.extendedTypesEnabled())
                    .superDigest(ServerOptions.SUPER_DIGEST));
            return new RunningServer() {
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
        RunningServer start(ServerOptions options) {
            return InProcessZooKeeper.start(options);
        }
    };

    abstract RunningServer start(ServerOptions options);
}
