package dev.meerkat.bench.recipes;

import dev.meerkat.bench.ArgParser;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of a lock comparison.
 *
 * @param quick the short variant (about two minutes)
 * @param server {@code host:port} of a running server, or null to start a Meerkat server
 * @param runs rounds; each round runs every contender count once with each lock
 * @param warmupSeconds per run, not measured
 * @param durationSeconds per run, measured
 * @param contenders the contender counts, in the order they run
 * @param heap -Xmx of the server started
 * @param out where lock-compare.json goes
 * @param workDir where the started server's directory goes; null for a new temporary directory
 * @param keep keep the started server's directory afterwards
 * @param java the launcher for the server; null for this JVM's
 * @param classpath for the server; null for this JVM's
 */
public record LockCompareOptions(boolean quick, String server, int runs, int warmupSeconds, int durationSeconds,
        List<Integer> contenders, String heap, Path out, Path workDir, boolean keep, Path java, String classpath) {

    public LockCompareOptions {
        contenders = List.copyOf(contenders);
        if (contenders.isEmpty()) {
            throw new IllegalArgumentException("--contenders needs at least one count");
        }
        for (int c : contenders) {
            if (c <= 0) {
                throw new IllegalArgumentException("contender counts must be positive: " + c);
            }
        }
        if (runs <= 0 || durationSeconds <= 0) {
            throw new IllegalArgumentException("runs and the duration must be positive");
        }
        if (warmupSeconds < 0) {
            throw new IllegalArgumentException("the warm-up must not be negative");
        }
    }

    public static final String USAGE = """
            Usage: LockCompare [--quick] [options]
              Lock acquire-release cycles per second and acquire latency with 1, 4 and 16 contenders
              (each a thread with a session of its own), Meerkat's DistributedLock against Curator
              5.9.0's InterProcessMutex, in turn, on one Meerkat server; prints each figure as
              '<metric>: <ours> vs <curator> = <ratio>x' (medians over the rounds).
              --quick               short run: 3 rounds of 1 s warm-up + 3 s measured
              --server HOST:PORT    use this server instead of starting a Meerkat server (fsync on)
              --runs N              rounds; each runs every contender count with each lock (default 5; quick 3)
              --warmup SECONDS      per run (default 5; quick 1)
              --duration SECONDS    measured per run (default 15; quick 3)
              --contenders LIST     comma-separated contender counts (default 1,4,16)
              --heap SIZE           -Xmx of the server started (default 1g)
              --out DIR             for lock-compare.json (default target/bench-lock)
              --work-dir DIR        for the started server's data (default: a new temporary directory)
              --keep                keep the started server's data and log
              --java PATH           java launcher for the server (default: this JVM's)
              --classpath CP        for the server (default: this JVM's class path)
            """;

    private static final ArgParser PARSER = new ArgParser()
            .flags("--quick", "--keep")
            .values("--server", "--runs", "--warmup", "--duration", "--contenders", "--heap", "--out", "--work-dir",
                    "--java", "--classpath");

    public static LockCompareOptions parse(String... args) {
        ArgParser.Parsed p = PARSER.parse(args);
        boolean quick = p.flag("--quick");
        List<Integer> contenders = new ArrayList<>();
        for (String c : p.list("--contenders", List.of("1", "4", "16"))) {
            try {
                contenders.add(Integer.parseInt(c.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--contenders needs whole numbers, not '" + c + "'");
            }
        }
        return new LockCompareOptions(quick, p.string("--server", null), p.integer("--runs", quick ? 3 : 5),
                p.integer("--warmup", quick ? 1 : 5), p.integer("--duration", quick ? 3 : 15), contenders,
                p.string("--heap", "1g"), p.path("--out", Path.of("target", "bench-lock")), p.path("--work-dir", null),
                p.flag("--keep"), p.path("--java", null), p.string("--classpath", null));
    }
}
