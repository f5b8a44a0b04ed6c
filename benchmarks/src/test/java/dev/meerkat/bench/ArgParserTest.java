package dev.meerkat.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArgParserTest {
    private final ArgParser parser = new ArgParser().flags("--quick").values("--runs", "--out", "--set", "--loads");

    @Test
    void flagsValuesAndDefaults() {
        ArgParser.Parsed p = parser.parse("--RUNS", "3", "--quick", "--out", "o", "--set", "a=1", "--set", "b=2",
                "--runs", "4");
        assertThat(p.flag("--quick")).isTrue();
        assertThat(p.integer("--runs", 5)).as("the last of a repeated value").isEqualTo(4);
        assertThat(p.path("--out", null)).isEqualTo(Path.of("o"));
        assertThat(p.all("--set")).containsExactly("a=1", "b=2");
        assertThat(p.list("--loads", List.of("x"))).containsExactly("x");
        ArgParser.Parsed none = parser.parse();
        assertThat(none.flag("--quick")).isFalse();
        assertThat(none.integer("--runs", 5)).isEqualTo(5);
        assertThat(none.string("--out", "d")).isEqualTo("d");
        assertThat(none.all("--set")).isEmpty();
        assertThat(parser.parse("--loads", "a,b").list("--loads", List.of())).containsExactly("a", "b");
    }

    @Test
    void rejectsWhatItDoesNotKnow() {
        assertThatThrownBy(() -> parser.parse("--bogus", "1")).hasMessage("unknown option --bogus");
        assertThatThrownBy(() -> parser.parse("--runs")).hasMessage("--runs needs a value");
        assertThatThrownBy(() -> parser.parse("stray")).hasMessage("unexpected argument 'stray'");
        assertThatThrownBy(() -> parser.parse("--runs", "x").integer("--runs", 1))
                .hasMessage("--runs needs a whole number, not 'x'");
    }

    @Test
    void hasLooksWithoutParsing() {
        assertThat(ArgParser.has(new String[] {"--x", "-h"}, "--help", "-h")).isTrue();
        assertThat(ArgParser.has(new String[] {"--x"}, "--help")).isFalse();
    }
}
