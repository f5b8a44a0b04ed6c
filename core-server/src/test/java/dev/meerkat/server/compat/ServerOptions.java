package dev.meerkat.server.compat;

/**
 * What a compatibility test asks of the server it runs against; both targets are started with the
 * same values so that any difference a test sees comes from the implementation, not the settings.
 *
 * @param tickTime             ms; sessions are clamped to [2, 20] × tickTime on both targets
 * @param extendedTypesEnabled TTL nodes (ZooKeeper's {@code zookeeper.extendedTypesEnabled})
 */
record ServerOptions(int tickTime, boolean extendedTypesEnabled) {
    /** {@code super:test}, as made by DigestAuthenticationProvider.generateDigest. */
    static final String SUPER_DIGEST = "super:D/InIHSb7yEEbrWz8b9l71RjZJU=";
    static final String SUPER_CREDENTIALS = "super:test";

    /** A short tick keeps the session tests quick: sessions of 400 ms to 4 s. */
    static final ServerOptions DEFAULT = new ServerOptions(200, true);

    ServerOptions withExtendedTypes(boolean enabled) {
        return new ServerOptions(tickTime, enabled);
    }
}
