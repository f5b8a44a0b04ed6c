package dev.meerkat.recipes;

import dev.meerkat.client.MeerkatClient;
import dev.meerkat.client.ClientOptions;
import dev.meerkat.server.EmbeddedEnsemble;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutual exclusion across processes, not threads: three JVMs, each its own client, increment one
 * counter znode without versions under the lock, on a three-server ensemble (each process picks
 * its own member). A lost update would show as a count below the total.
 */
class MultiProcessLockTest {
    private static final int PROCESSES = 3;
    private static final int ROUNDS = 40;

    @Test
    void threeProcessesIncrementingUnderTheLockLoseNoUpdate() throws Exception {
        try (EmbeddedEnsemble ensemble = EmbeddedEnsemble.start(3)) {
            String counter = "/multi-process-counter";
            try (MeerkatClient admin = MeerkatClient.connect(ensemble.connectString(), ClientOptions.builder().build())
                    .get(30, TimeUnit.SECONDS)) {
                admin.create(counter, "0".getBytes(StandardCharsets.US_ASCII), dev.meerkat.protocol.CreateMode.PERSISTENT)
                        .get(30, TimeUnit.SECONDS);

                String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                List<Process> workers = new ArrayList<>();
                try {
                    for (int i = 0; i < PROCESSES; i++) {
                        workers.add(new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
                                System.getProperty("java.class.path"), LockWorker.class.getName(),
                                ensemble.connectString(), "/multi-process-lock", counter, Integer.toString(ROUNDS))
                                .redirectErrorStream(true).start());
                    }
                    for (Process p : workers) {
                        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("worker finished").isTrue();
                        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                        assertThat(p.exitValue()).as("worker output:\n%s", out).isZero();
                        assertThat(out).contains("done " + ROUNDS);
                    }
                } finally {
                    for (Process p : workers) {
                        p.destroyForcibly();
                    }
                }
                admin.sync(counter).get(30, TimeUnit.SECONDS);
                byte[] data = admin.getData(counter).get(30, TimeUnit.SECONDS).data();
                assertThat(new String(data, StandardCharsets.US_ASCII)).isEqualTo(Integer.toString(PROCESSES * ROUNDS));
            }
        }
    }
}
