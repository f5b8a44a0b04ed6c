package dev.meerkat.server.compat;

import dev.meerkat.server.EmbeddedMeerkat;
import dev.meerkat.server.EmbeddedEnsemble;

/**
 * The servers every compatibility test runs against. A test passes only if it passes on all:
 * ZooKeeper shows what the behaviour is, Meerkat, standalone and as a three-server ensemble, has
 * to match it.
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
    /**
     * Three Meerkat servers; the connect string names all three, so the official client picks one
     * at random and each client of a test may land on a different member. {@link RunningServer#port()}
     * is a follower's, which forwards every write to the leader.
     */
    MEERKAT_ENSEMBLE {
        @Override
        RunningServer start(ServerOptions options) {
            EmbeddedEnsemble ensemble = EmbeddedEnsemble.start(3, 0, options.tickTime(), b -> b
                    .extendedTypesEnabled(options.extendedTypesEnabled())
                    .superDigest(ServerOptions.SUPER_DIGEST));
            int port = ensemble.clientPort(ensemble.followers().get(0));
            return new RunningServer() {
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
        RunningServer start(ServerOptions options) {
            return InProcessZooKeeper.start(options);
        }
    };

    abstract RunningServer start(ServerOptions options);
}
