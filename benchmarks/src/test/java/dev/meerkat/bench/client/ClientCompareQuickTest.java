package dev.meerkat.bench.client;

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
 * {@code ClientCompare --quick} with a Meerkat server of its own: finishes in minutes, prints every
 * figure in the agreed format and leaves no server running. Only with {@code -Pbench}.
 */
@Tag("bench")
class ClientCompareQuickTest {

    @Test
    void quickClientComparison(@TempDir Path out) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream captured = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        long t = System.nanoTime();
        try {
            new ClientCompare(ClientCompareOptions.parse("--quick", "--out", out.toString()),
                    new Progress(System.err, false), captured).run();
        } finally {
            ServerProcess.stopAll();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t);
        String text = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        assertThat(took).isLessThan(Duration.ofMinutes(6));
        String number = "[0-9]+(\\.[0-9]+)?";
        for (String op : new String[] {"create", "setData", "getData", "mixed 90/10"}) {
            for (String figure : new String[] {"ops/s", "p50 latency us", "p99 latency us", "p999 latency us"}) {
                assertThat(text).containsPattern("(?m)^" + Pattern.quote(op + " " + figure) + ": " + number + " vs "
                        + number + " = " + number + "x$");
            }
        }
        assertThat(ServerProcess.running()).isZero();
    }
}
