package dev.meerkat.bench.client;

import dev.meerkat.bench.load.LoadOptions.Op;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientCompareOptionsTest {

    @Test
    void quickIsShorterAndBothUseTheLoadOfTheServerComparison() {
        ClientCompareOptions full = ClientCompareOptions.parse();
        ClientCompareOptions quick = ClientCompareOptions.parse("--quick");
        assertThat(quick.runs() * (quick.warmupSeconds() + quick.durationSeconds()))
                .isLessThan(full.runs() * (full.warmupSeconds() + full.durationSeconds()));
        assertThat(quick.sessions() * quick.outstanding()).isEqualTo(100);
        assertThat(quick.valueSize()).isEqualTo(1024);
        assertThat(quick.readPercent()).isEqualTo(90);
        assertThat(quick.ops()).containsExactly("create", "setData", "getData", "mixed");
        assertThat(quick.server()).isNull();
        assertThat(quick.out()).isEqualTo(Path.of("target", "bench-client"));
    }

    @Test
    void options() {
        ClientCompareOptions o = ClientCompareOptions.parse("--server", "h:1", "--ops", "mixed", "--read-percent",
                "50", "--keep", "--heap", "2g");
        assertThat(o.server()).isEqualTo("h:1");
        assertThat(o.ops()).containsExactly("mixed");
        assertThat(o.readPercent()).isEqualTo(50);
        assertThat(o.keep()).isTrue();
        assertThat(o.heap()).isEqualTo("2g");
        assertThat(ClientCompareOptions.op("mixed")).isEqualTo(Op.MIXED);
        assertThat(ClientCompareOptions.op("setData")).isEqualTo(Op.SET_DATA);
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> ClientCompareOptions.parse("--ops", "delete")).hasMessageContaining("unknown op");
        assertThatThrownBy(() -> ClientCompareOptions.parse("--runs", "0")).hasMessageContaining("positive");
        assertThatThrownBy(() -> ClientCompareOptions.parse("--read-percent", "120")).hasMessageContaining("read");
        assertThatThrownBy(() -> ClientCompareOptions.parse("--what")).hasMessageContaining("unknown option");
        assertThatThrownBy(() -> ClientCompareOptions.parse("--server")).hasMessageContaining("needs a value");
    }
}
