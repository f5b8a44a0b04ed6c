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
                "--quiet", "--client", "meerkat", "--cleanup");
        assertThat(o).isEqualTo(new LoadOptions("h:1", Op.MIXED, 80, 10, 5, 2, 3, 0, 7, "/x", 9000, "L",
                Path.of("r.json"), false, "meerkat", true));
        assertThat(o.describe()).isEqualTo("mixed 80/20 getData/setData, meerkat client, 10 B values, 5 keys, 2 sessions x 3"
                + " outstanding, warm-up 0 s, measured 7 s");
    }

    @Test
    void defaultsAreTheIssuesWriteLoad() {
        LoadOptions o = LoadOptions.parse();
        assertThat(o.op()).isEqualTo(Op.SET_DATA);
        assertThat(o.valueSize()).isEqualTo(1024);
        assertThat(o.sessions() * o.outstanding()).isEqualTo(100);
        assertThat(o.client()).isEqualTo("official");
        assertThat(o.cleanup()).isFalse();
    }

    @Test
    void withersChangeOnlyTheirComponents() {
        LoadOptions d = LoadOptions.defaults();
        LoadOptions o = d.withConnect("h:2").withOp(Op.GET_DATA, 100).withTiming(1, 2).withClients(3, 4)
                .withLabel("x").withProgress(false).withClient("MEERKAT");
        assertThat(o).isEqualTo(new LoadOptions("h:2", Op.GET_DATA, 100, d.valueSize(), d.keys(), 3, 4, 1, 2,
                d.root(), d.sessionTimeoutMs(), "x", null, false, "meerkat", false));
        assertThatThrownBy(() -> d.with(b -> b.keys = 0)).hasMessageContaining("keys");
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
        assertThatThrownBy(() -> LoadOptions.parse("--client", "curator")).hasMessageContaining("unknown client");
    }
}
