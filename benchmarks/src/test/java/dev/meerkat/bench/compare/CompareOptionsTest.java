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
}
