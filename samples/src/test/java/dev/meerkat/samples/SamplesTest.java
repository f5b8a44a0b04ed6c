package dev.meerkat.samples;

import dev.meerkat.server.EmbeddedMeerkat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs each sample in-process, as {@code Samples NAME --server ...} would, and checks its result. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SamplesTest {
    private static EmbeddedMeerkat server;

    @BeforeAll
    static void start() {
        server = EmbeddedMeerkat.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private record Run(int status, List<String> lines, String err) {
        String last() {
            return lines.get(lines.size() - 1);
        }
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Samples.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8).lines().toList(), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"discovery", "master", "lock", "config", "queue", "barrier"})
    void eachSampleSucceedsAndEndsWithItsSummary(String name) {
        Run r = run(name, "--server", server.connectString());
        assertThat(r.status()).as("stdout:%n%s%nstderr:%n%s", String.join("\n", r.lines()), r.err()).isZero();
        assertThat(r.last()).startsWith("OK " + name + ": ");
    }

    @Test
    void theSummariesSayWhatHappened() {
        assertThat(run("discovery", "--server", server.connectString()).last())
                .contains("saw 4 instances, then 3 after orders-2 was killed");
        assertThat(run("lock", "--server=" + server.connectString()).last()).contains("final count 40 (expected 40)");
        assertThat(run("master", "--server", server.connectString()).last()).contains("most masters at once: 1");
    }

    @Test
    void withoutAServerASampleBringsItsOwn() {
        Run r = run("lock");
        assertThat(r.status()).as("stdout:%n%s%nstderr:%n%s", String.join("\n", r.lines()), r.err()).isZero();
        assertThat(r.lines().get(0)).startsWith("[started an in-process Meerkat on 127.0.0.1:");
        assertThat(r.last()).startsWith("OK lock: ");
    }

    @Test
    void anUnknownSampleOrArgumentIsAUsageError() {
        Run unknown = run("nonsense");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("no sample named nonsense", "discovery", "barrier");
        assertThat(run("lock", "--bogus").status()).isEqualTo(2);
        assertThat(run().status()).isEqualTo(2);
        assertThat(run("--help").status()).isZero();
    }
}
