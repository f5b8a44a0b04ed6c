package dev.meerkat.bench.recipes;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LockCompareOptionsTest {

    @Test
    void quickIsShorterAndBothRunOneFourAndSixteenContenders() {
        LockCompareOptions full = LockCompareOptions.parse();
        LockCompareOptions quick = LockCompareOptions.parse("--quick");
        assertThat(quick.runs() * (quick.warmupSeconds() + quick.durationSeconds()))
                .isLessThan(full.runs() * (full.warmupSeconds() + full.durationSeconds()));
        assertThat(quick.runs()).isGreaterThanOrEqualTo(3);
        assertThat(full.contenders()).containsExactly(1, 4, 16);
        assertThat(quick.contenders()).containsExactly(1, 4, 16);
        assertThat(quick.server()).isNull();
        assertThat(quick.out()).isEqualTo(Path.of("target", "bench-lock"));
    }

    @Test
    void options() {
        LockCompareOptions o = LockCompareOptions.parse("--server", "h:1", "--contenders", "2, 8", "--runs", "1",
                "--warmup", "0", "--keep", "--heap", "2g");
        assertThat(o.server()).isEqualTo("h:1");
        assertThat(o.contenders()).containsExactly(2, 8);
        assertThat(o.runs()).isEqualTo(1);
        assertThat(o.warmupSeconds()).isZero();
        assertThat(o.keep()).isTrue();
        assertThat(o.heap()).isEqualTo("2g");
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> LockCompareOptions.parse("--contenders", "0")).hasMessageContaining("positive");
        assertThatThrownBy(() -> LockCompareOptions.parse("--contenders", "a")).hasMessageContaining("whole numbers");
        assertThatThrownBy(() -> LockCompareOptions.parse("--runs", "0")).hasMessageContaining("positive");
        assertThatThrownBy(() -> LockCompareOptions.parse("--warmup", "-1")).hasMessageContaining("negative");
        assertThatThrownBy(() -> LockCompareOptions.parse("--what")).hasMessageContaining("unknown option");
        assertThatThrownBy(() -> LockCompareOptions.parse("--server")).hasMessageContaining("needs a value");
    }
}
