package dev.meerkat.bench.client;

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
 * A one-second-per-run client comparison against an in-process server given with --server: every
 * op through both clients, the figures in the repo's format. The real run (--quick or full, with a
 * server of its own) is opt-in: {@link ClientCompareQuickTest}, or the main class.
 */
class ClientCompareTest {

    @Test
    void shortComparisonAgainstAGivenServer(@TempDir Path out) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream captured = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ClientCompare.Report report;
        try (EmbeddedMeerkat server = EmbeddedMeerkat.start(b -> b.forceSync(false))) {
            ClientCompareOptions o = ClientCompareOptions.parse("--server", server.connectString(), "--runs", "1",
                    "--warmup", "0", "--duration", "1", "--sessions", "2", "--outstanding", "5", "--ops",
                    "create,getData", "--out", out.toString());
            report = new ClientCompare(o, new Progress(System.err, false), captured).run();
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        String number = "[0-9]+(\\.[0-9]+)?";
        for (String metric : new String[] {"create ops/s", "create p50 latency us", "create p99 latency us",
            "create p999 latency us", "create client CPU us per op", "getData ops/s", "getData p99 latency us"}) {
            assertThat(text).containsPattern("(?m)^" + Pattern.quote(metric) + ": " + number + " vs " + number + " = "
                    + number + "x$");
        }
        assertThat(report.metrics()).hasSize(10).allSatisfy(m -> {
            assertThat(m.meerkat()).as(m.name()).isPositive();
            assertThat(m.zookeeper()).as(m.name()).isPositive();
        });
        String json = Files.readString(report.json());
        assertThat(json).contains("\"ours\"", "\"official\"", "\"client\": \"meerkat\"", "\"client\": \"official\"");
        assertThat(ServerProcess.running()).isZero();
    }
}
