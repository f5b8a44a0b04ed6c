package dev.meerkat.bench;

/**
 * Points logback at the benchmark tools' configuration (warnings only, on stderr) unless the
 * caller chose one. Must run before the first logger is created, i.e. first thing in main: without
 * it logback's default would print the official client's DEBUG lines for every packet.
 */
public final class BenchLogging {
    public static final String PROPERTY = "logback.configurationFile";
    public static final String TOOLS_CONFIG = "meerkat-bench-logback.xml";
    public static final String SERVER_CONFIG = "meerkat-bench-server-logback.xml";

    private BenchLogging() {
    }

    public static void init() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, TOOLS_CONFIG);
        }
    }
}
