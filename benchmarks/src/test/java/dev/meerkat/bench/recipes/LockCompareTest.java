package dev.meerkat.bench.recipes;

import dev.meerkat.bench.Progress;
import dev.meerkat.bench.compare.ServerProcess;
import dev.meerkat.server.EmbeddedMeerkat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A one-second-per-run lock comparison against an in-process server given with --server: both
 * locks with 1 and 4 contenders, cycles counted, mutual exclusion held, the figures in the repo's
 * format. The real run (--quick or full, with a server of its own, fsync on) is opt-in:
 * {@link LockCompareQuickTest}, or {@code bin/meerkat bench lock}.
 */
class LockCompareTest {

    @Test
    void shortComparisonAgainstAGivenServer(@TempDir Path out) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream captured = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        LockCompare.Report report;
        try (EmbeddedMeerkat server = EmbeddedMeerkat.start(b -> b.forceSync(false))) {
            LockCompareOptions o = LockCompareOptions.parse("--server", server.connectString(), "--runs", "1",
                    "--warmup", "0", "--duration", "1", "--contenders", "1,4", "--out", out.toString());
            report = new LockCompare(o, new Progress(System.err, false), captured).run();
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        String number = "[0-9]+(\\.[0-9]+)?";
        for (int n : new int[] {1, 4}) {
            for (String metric : new String[] {"lock cycles/s", "lock acquire p50 us", "lock acquire p99 us"}) {
                assertThat(text).containsPattern("(?m)^" + Pattern.quote(metric + " " + n + " contenders") + ": "
                        + number + " vs " + number + " = " + number + "x$");
            }
        }
        assertThat(report.metrics()).hasSize(6).allSatisfy(m -> {
            assertThat(m.meerkat()).as(m.name()).isPositive();
            assertThat(m.zookeeper()).as(m.name()).isPositive();
        });
        assertThat(report.runs()).hasSize(4).allSatisfy(r -> {
            String what = r.kind() + " " + r.contenders();
            assertThat(r.violations()).as(what).isZero();
            assertThat(r.cycles()).as(what).isPositive().isLessThanOrEqualTo(r.totalCycles());
            assertThat(r.acquireMicros().getTotalCount()).as(what).isPositive();
            assertThat(r.perContender()).as(what).hasSize(r.contenders());
            if (r.kind().equals("ours")) {
                // one release wakes at most one waiter: no herd
                assertThat(r.wakeups()).as(what).isBetween(0L, r.totalCycles());
            }
        });
        assertThat(report.runs()).extracting(LockLoop.Result::kind).containsOnly("ours", "curator");
        String json = Files.readString(report.json());
        assertThat(json).contains("\"ours\"", "\"curator\"", "\"lock\": \"ours\"", "\"lock\": \"curator\"",
                "\"violations\": 0", "lock cycles/s 4 contenders");
        assertThat(ServerProcess.running()).isZero();
    }
}
