package dev.meerkat.bench.compare;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompareOptionsTest {

    @Test
    void quickIsShorter() {
        CompareOptions full = CompareOptions.parse();
        CompareOptions quick = CompareOptions.parse("--quick");
        assertThat(quick.quick()).isTrue();
        assertThat(quick.runs() * (quick.warmupSeconds() + quick.durationSeconds()))
                .isLessThan(full.runs() * (full.warmupSeconds() + full.durationSeconds()));
        // what issue 7 fixes for both: 100 outstanding, 1 KB values, 100,000 znodes of 100 bytes
        assertThat(quick.sessions() * quick.outstanding()).isEqualTo(100);
        assertThat(quick.valueSize()).isEqualTo(1024);
        assertThat(quick.znodes()).isEqualTo(100_000);
        assertThat(quick.znodeSize()).isEqualTo(100);
        assertThat(quick.heap()).isEqualTo("1g");
    }

    @Test
    void optionsOverrideQuick() {
        CompareOptions o = CompareOptions.parse("--runs", "1", "--quick", "--znodes", "10", "--keep", "--out", "o",
                "--java", "/j/bin/java", "--classpath", "a:b");
        assertThat(o.runs()).isEqualTo(1);
        assertThat(o.znodes()).isEqualTo(10);
        assertThat(o.keep()).isTrue();
        assertThat(o.out()).isEqualTo(Path.of("o"));
        assertThat(o.java()).isEqualTo(Path.of("/j/bin/java"));
        assertThat(o.classpath()).isEqualTo("a:b");
    }

    @Test
    void diagnosticOptions() {
        CompareOptions o = CompareOptions.parse("--loads", "write,mixed", "--skip-restart", "--set", "forceSync=no",
                "--set", "preAllocSize=0");
        assertThat(o.loads()).containsExactly("write", "mixed");
        assertThat(o.restart()).isFalse();
        ServerProcess.Settings s = new ServerProcess.Settings(Path.of("java"), "cp", "1g", 2000, 100_000,
                o.extraConfig());
        String cfg = ServerProcess.configText(Path.of("/d"), 1, s);
        assertThat(cfg).contains("forceSync=no\n", "preAllocSize=0\n").doesNotContain("forceSync=yes",
                "preAllocSize=65536");
        assertThat(CompareOptions.parse().loads()).containsExactly("write", "read", "mixed");
        assertThat(CompareOptions.parse().restart()).isTrue();
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> CompareOptions.parse("--loads", "delete")).hasMessageContaining("unknown load");
        assertThatThrownBy(() -> CompareOptions.parse("--set", "novalue")).hasMessageContaining("KEY=VALUE");
        assertThatThrownBy(() -> CompareOptions.parse("--runs", "0")).hasMessageContaining("positive");
        assertThatThrownBy(() -> CompareOptions.parse("--what", "1")).hasMessageContaining("unknown option");
        assertThatThrownBy(() -> CompareOptions.parse("--heap")).hasMessageContaining("needs a value");
    }

    @Test
    void bothServersGetTheSameConfigurationApartFromPathAndPort() {
        ServerProcess.Settings s = new ServerProcess.Settings(Path.of("/usr/bin/java"), "cp", "1g", 2000, 100_000);
        String cfg = ServerProcess.configText(Path.of("/d/data"), 1234, s);
        assertThat(cfg).contains("tickTime=2000\n", "dataDir=/d/data\n", "clientPort=1234\n",
                "clientPortAddress=127.0.0.1\n", "forceSync=yes\n", "snapCount=100000\n");
        assertThat(s.jvmOptions()).contains("-Xmx1g");
    }

    @Test
    void serverClasspathIsMadeAbsolute() {
        String cp = Compare.absolute("a.jar:/x/b.jar::lib/*");
        String cwd = Path.of("").toAbsolutePath().toString();
        assertThat(cp).isEqualTo(cwd + "/a.jar:/x/b.jar:" + cwd + "/lib/*");
    }

    @Test
    void threeNodeOptions() {
        CompareOptions full = CompareOptions.parse();
        assertThat(full.nodes()).containsExactly(1, 3);
        assertThat(full.failovers()).isEqualTo(10);
        assertThat(full.failoverTickTimes()).containsExactly(2000, 200);
        CompareOptions quick = CompareOptions.parse("--quick");
        assertThat(quick.nodes()).containsExactly(1, 3);
        assertThat(quick.failovers()).isEqualTo(3);
        assertThat(quick.failoverTickTimes()).containsExactly(2000);
        assertThat(quick.ensembleRuns() * quick.ensembleDurationSeconds())
                .isLessThan(full.ensembleRuns() * full.ensembleDurationSeconds());
        CompareOptions o = CompareOptions.parse("--nodes", "3", "--failovers", "5", "--failover-tick-times",
                "200,500", "--ensemble-runs", "2", "--ensemble-duration", "7");
        assertThat(o.nodes()).containsExactly(3);
        assertThat(o.failovers()).isEqualTo(5);
        assertThat(o.failoverTickTimes()).containsExactly(200, 500);
        assertThat(o.ensembleRuns()).isEqualTo(2);
        assertThat(o.ensembleDurationSeconds()).isEqualTo(7);
        assertThat(CompareOptions.parse("--tick-time", "500").failoverTickTimes()).containsExactly(500, 200);
        assertThatThrownBy(() -> CompareOptions.parse("--nodes", "5")).hasMessageContaining("--nodes");
        assertThatThrownBy(() -> CompareOptions.parse("--nodes", "x")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> CompareOptions.parse("--failovers", "0")).hasMessageContaining("positive");
    }

    @Test
    void ensembleMembersShareTheirLinesAndDifferInIdAndPort(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        ServerProcess.Settings s = new ServerProcess.Settings(Path.of("/usr/bin/java"), "cp", "1g", 200, 100_000);
        try (Ensemble e = Ensemble.create(ServerProcess.Kind.ZOOKEEPER, dir, s, 3)) {
            assertThat(e.ids()).containsExactly(1, 2, 3);
            java.util.Set<String> serverLines = new java.util.HashSet<>();
            java.util.Set<Integer> clientPorts = new java.util.HashSet<>();
            for (int id : e.ids()) {
                String cfg = java.nio.file.Files.readString(dir.resolve("s" + id).resolve("zoo.cfg"));
                assertThat(cfg).contains("tickTime=200\n", "initLimit=10\n", "syncLimit=5\n", "forceSync=yes\n",
                        "4lw.commands.whitelist=srvr", "clientPort=" + e.member(id).port() + "\n");
                serverLines.add(cfg.lines().filter(l -> l.startsWith("server.")).toList().toString());
                assertThat(java.nio.file.Files.readString(dir.resolve("s" + id).resolve("data").resolve("myid")))
                        .isEqualTo(id + "\n");
                clientPorts.add(e.member(id).port());
            }
            assertThat(serverLines).hasSize(1);
            assertThat(serverLines.iterator().next()).contains("server.1=127.0.0.1:", "server.3=127.0.0.1:");
            assertThat(clientPorts).hasSize(3);
            assertThat(e.connectStringWithout(2)).isEqualTo(e.member(1).connectString() + ","
                    + e.member(3).connectString());
            assertThat(e.connectString().split(",")).hasSize(3);
            // nothing started: every member is down, and there is no leader to find
            assertThat(e.modes()).containsOnlyKeys(1, 2, 3).allSatisfy((id, mode) -> assertThat(mode).isEqualTo("down"));
            assertThat(Ensemble.serving(java.util.Map.of(1, "leader", 2, "follower", 3, "follower"))).isTrue();
            assertThat(Ensemble.serving(java.util.Map.of(1, "leader", 2, "looking", 3, "follower"))).isFalse();
            assertThat(Ensemble.serving(java.util.Map.of(1, "leader", 2, "leader", 3, "follower"))).isFalse();
        }
    }
}
