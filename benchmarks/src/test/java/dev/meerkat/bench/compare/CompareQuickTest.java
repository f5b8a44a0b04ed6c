package dev.meerkat.bench.compare;

import dev.meerkat.bench.Progress;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 7's check: {@code Compare --quick} (standalone, then three-server ensembles and the
 * failover gap) finishes in under five minutes, prints every ratio in the agreed format, writes the JSON and the chart, and leaves no server running. Starts real
 * servers and takes minutes, so it runs only with {@code -Pbench}.
 */
@Tag("bench")
class CompareQuickTest {

    @Test
    void quickComparisonPrintsEveryRatio(@TempDir Path out) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream captured = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        long t = System.nanoTime();
        Compare.Report report;
        try {
            report = new Compare(CompareOptions.parse("--quick", "--out", out.toString()),
                    new Progress(System.err, false), captured).run();
        } finally {
            ServerProcess.stopAll();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t);
        String text = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        assertThat(took).isLessThan(Duration.ofMinutes(5));
        String number = "[0-9]+(\\.[0-9]+)?";
        for (String metric : new String[] {"write ops/s standalone", "read ops/s standalone",
            "mixed 90/10 ops/s standalone", "write p50 latency us standalone", "write p99 latency us standalone",
            "write p999 latency us standalone", "restart ms with 100k znodes standalone",
            "RSS MB per 100k znodes standalone", "write ops/s 3-node", "read ops/s 3-node",
            "mixed 90/10 ops/s 3-node", "write p50 latency us 3-node", "write p99 latency us 3-node",
            "write p999 latency us 3-node", "failover gap ms 3-node", "failover gap max ms 3-node"}) {
            assertThat(text).containsPattern("(?m)^" + java.util.regex.Pattern.quote(metric) + ": " + number + " vs "
                    + number + " = " + number + "x$");
        }
        assertThat(report.metrics()).allSatisfy(m -> {
            assertThat(m.meerkat()).isPositive();
            assertThat(m.zookeeper()).isPositive();
        });
        assertThat(Files.readString(report.json())).contains("\"metrics\"", "\"loads\"", "\"memoryAndRestart\"",
                "\"loads3Node\"", "\"failover3Node\"");
        assertThat(Files.readString(report.svg())).startsWith("<svg");
        assertThat(ServerProcess.running()).isZero();
    }
}
