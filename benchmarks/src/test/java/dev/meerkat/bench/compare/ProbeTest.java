package dev.meerkat.bench.compare;

import dev.meerkat.server.EmbeddedMeerkat;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ProbeTest {

    @Test
    void answersOnlyForExistingNodesAndWaitsOnClosedPorts() throws Exception {
        try (EmbeddedMeerkat server = EmbeddedMeerkat.start(b -> b.forceSync(false))) {
            InetSocketAddress addr = new InetSocketAddress("127.0.0.1", server.port());
            Probe.Answer root = Probe.getData(addr, "/");
            assertThat(root.outcome()).isEqualTo(Probe.Outcome.ANSWERED);
            assertThat(root.dataLength()).isZero();
            assertThat(Probe.getData(addr, "/nowhere").outcome()).isEqualTo(Probe.Outcome.NO_NODE);
            assertThat(Probe.await(addr, "/", Duration.ofSeconds(10), () -> true).outcome())
                    .isEqualTo(Probe.Outcome.ANSWERED);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertThat(Probe.getData(new InetSocketAddress("127.0.0.1", port), "/").outcome())
                .isEqualTo(Probe.Outcome.NOT_READY);
        assertThat(Probe.await(new InetSocketAddress("127.0.0.1", port), "/", Duration.ofMillis(200), () -> true))
                .isNull();
    }

    @Test
    void keepsTryingWhileEarlierAttemptsHang() throws Exception {
        // Accepts and never answers, as ZooKeeper 3.9.5 can while it loads its data: the probe keeps
        // starting attempts and gives up at its own deadline, not at the hung attempts' read timeout.
        try (ServerSocket silent = new ServerSocket(0, 100)) {
            long t = System.nanoTime();
            Probe.Answer a = Probe.await(new InetSocketAddress("127.0.0.1", silent.getLocalPort()), "/",
                    Duration.ofMillis(300), () -> true);
            assertThat(a).isNull();
            assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofSeconds(2));
        }
    }
}
