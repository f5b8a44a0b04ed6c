package dev.meerkat.bench.recipes;

import dev.meerkat.bench.Progress;
import dev.meerkat.bench.compare.ServerProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code LockCompare --quick} with a Meerkat server of its own (fsync on): finishes in minutes,
 * prints every figure in the agreed format, holds mutual exclusion and leaves no server running.
 * Only with {@code -Pbench}.
 */
@Tag("bench")
class LockCompareQuickTest {

    @Test
    void quickLockComparison(@TempDir Path out) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream captured = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        long t = System.nanoTime();
        LockCompare.Report report;
        try {
            report = new LockCompare(LockCompareOptions.parse("--quick", "--out", out.toString()),
                    new Progress(System.err, false), captured).run();
        } finally {
            ServerProcess.stopAll();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t);
        String text = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        assertThat(took).isLessThan(Duration.ofMinutes(6));
        String number = "[0-9]+(\\.[0-9]+)?";
        for (int n : new int[] {1, 4, 16}) {
            for (String metric : new String[] {"lock cycles/s", "lock acquire p50 us", "lock acquire p99 us"}) {
                assertThat(text).containsPattern("(?m)^" + Pattern.quote(metric + " " + n + " contenders") + ": "
                        + number + " vs " + number + " = " + number + "x$");
            }
        }
        assertThat(report.runs()).allSatisfy(r -> assertThat(r.violations()).isZero());
        assertThat(ServerProcess.running()).isZero();
    }
}
