package dev.meerkat.bench.load;

import dev.meerkat.bench.load.LoadOptions.Op;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadOptionsTest {

    @Test
    void parsesEveryOption() {
        LoadOptions o = LoadOptions.parse("--connect", "h:1", "--op", "mixed", "--read-percent", "80",
                "--value-size", "10", "--keys", "5", "--sessions", "2", "--outstanding", "3", "--warmup", "0",
                "--duration", "7", "--root", "/x", "--session-timeout", "9000", "--label", "L", "--json", "r.json",
                "--quiet");
        assertThat(o).isEqualTo(new LoadOptions("h:1", Op.MIXED, 80, 10, 5, 2, 3, 0, 7, "/x", 9000, "L",
                Path.of("r.json"), false));
        assertThat(o.describe()).isEqualTo("mixed 80/20 getData/setData, 10 B values, 5 keys, 2 sessions x 3"
                + " outstanding, warm-up 0 s, measured 7 s");
    }

    @Test
    void defaultsAreTheIssuesWriteLoad() {
        LoadOptions o = LoadOptions.parse();
        assertThat(o.op()).isEqualTo(Op.SET_DATA);
        assertThat(o.valueSize()).isEqualTo(1024);
        assertThat(o.sessions() * o.outstanding()).isEqualTo(100);
    }

    @Test
    void opsByTheirClientNames() {
        assertThat(Op.parse("getData")).isEqualTo(Op.GET_DATA);
        assertThat(Op.parse("EXISTS")).isEqualTo(Op.EXISTS);
        assertThat(Op.parse("create")).isEqualTo(Op.CREATE);
        assertThatThrownBy(() -> Op.parse("delete")).hasMessageContaining("unknown op");
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> LoadOptions.parse("--sessions", "0")).hasMessageContaining("sessions");
        assertThatThrownBy(() -> LoadOptions.parse("--read-percent", "101")).hasMessageContaining("read percent");
        assertThatThrownBy(() -> LoadOptions.parse("--root", "/")).hasMessageContaining("root");
        assertThatThrownBy(() -> LoadOptions.parse("--keys", "many")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> LoadOptions.parse("--bogus", "1")).hasMessageContaining("unknown option");
        assertThatThrownBy(() -> LoadOptions.parse("--duration")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> LoadOptions.parse("stray")).hasMessageContaining("unexpected");
    }
}
