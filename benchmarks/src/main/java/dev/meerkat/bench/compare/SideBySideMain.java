package dev.meerkat.bench.compare;

import dev.meerkat.bench.ArgParser;
import dev.meerkat.bench.BenchLogging;

import java.util.function.Function;

/**
 * The shared shape of the side-by-side mains (Compare, ClientCompare, LockCompare): parse the
 * options or print the usage (exit 2), run with every server process stopped afterwards, also on
 * Ctrl-C, and exit 0 or 1.
 */
public final class SideBySideMain {
    /** What a main runs once its options are parsed. */
    @FunctionalInterface
    public interface Body<O> {
        void run(O options) throws Exception;
    }

    private SideBySideMain() {
    }

    public static <O> void run(String[] args, String usage, Function<String[], O> parse, String what, Body<O> body) {
        BenchLogging.init();
        O opts;
        try {
            if (ArgParser.has(args, "--help", "-h")) {
                System.out.print(usage);
                return;
            }
            opts = parse.apply(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(usage);
            System.exit(2);
            return;
        }
        // Ctrl-C or a kill of this JVM must not leave servers behind.
        Runtime.getRuntime().addShutdownHook(new Thread(ServerProcess::stopAll, "stop-servers"));
        int code = 0;
        try {
            body.run(opts);
        } catch (Exception e) {
            System.err.println();
            System.err.println(what + " failed: " + e);
            e.printStackTrace();
            code = 1;
        } finally {
            ServerProcess.stopAll();
        }
        System.exit(code);
    }
}
