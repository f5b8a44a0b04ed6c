package dev.meerkat.protocol;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class PathUtilsTest {

    @ParameterizedTest
    @ValueSource(strings = {"/", "/a", "/a/b/c", "/zookeeper/config", "/a.b", "/.a", "/a.", "/..a", "/a..",
            "/...", "/a/...", "/.../b", "/a b", "/\u00fcber", "/\u4e2d\u6587", "/\u00a0", "/\u00a0\u00ff",
            "/\uf900", "/\uffef", "/-_:@!$", "/lock-0000000001"})
    void validPaths(String path) {
        assertThatCode(() -> PathUtils.validatePath(path)).doesNotThrowAnyException();
        assertThatCode(() -> PathUtils.validatePath(path, false)).doesNotThrowAnyException();
    }

    static Stream<Arguments> invalidPaths() {
        return Stream.of(
                arguments(null, "Path cannot be null"),
                arguments("", "Path length must be > 0"),
                arguments("a", "Path must start with / character"),
                arguments("a/b", "Path must start with / character"),
                arguments("/a/", "Path must not end with / character"),
                arguments("//", "Path must not end with / character"),
                arguments("//a", "Invalid path string \"//a\" caused by empty node name specified @1"),
                arguments("/a//b", "Invalid path string \"/a//b\" caused by empty node name specified @3"),
                arguments("/.", "Invalid path string \"/.\" caused by relative paths not allowed @1"),
                arguments("/..", "Invalid path string \"/..\" caused by relative paths not allowed @2"),
                arguments("/a/./b", "Invalid path string \"/a/./b\" caused by relative paths not allowed @3"),
                arguments("/a/../b", "Invalid path string \"/a/../b\" caused by relative paths not allowed @4"),
                arguments("/a/..", "Invalid path string \"/a/..\" caused by relative paths not allowed @4"),
                arguments("/a\u0000b", "Invalid path string \"/a\u0000b\" caused by null character not allowed @2"),
                arguments("/\u0000", "Invalid path string \"/\u0000\" caused by null character not allowed @1"),
                arguments("/\u0001", "Invalid path string \"/\u0001\" caused by invalid character @1"),
                arguments("/a\u001f", "Invalid path string \"/a\u001f\" caused by invalid character @2"),
                arguments("/\u007f", "Invalid path string \"/\u007f\" caused by invalid character @1"),
                arguments("/\u009f", "Invalid path string \"/\u009f\" caused by invalid character @1"),
                arguments("/\ud800", "Invalid path string \"/\ud800\" caused by invalid character @1"),
                arguments("/\ud83d\ude00", "Invalid path string \"/\ud83d\ude00\" caused by invalid character @1"),
                arguments("/\uf8ff", "Invalid path string \"/\uf8ff\" caused by invalid character @1"),
                arguments("/\ufff0", "Invalid path string \"/\ufff0\" caused by invalid character @1"),
                arguments("/\uffff", "Invalid path string \"/\uffff\" caused by invalid character @1"),
                // the first problem wins, scanning left to right
                arguments("/\u0001//", "Path must not end with / character"),
                arguments("/a//\u0000", "Invalid path string \"/a//\u0000\" caused by empty node name specified @3"));
    }

    @ParameterizedTest
    @MethodSource("invalidPaths")
    void invalidPathsFailWithZooKeepersMessage(String path, String message) {
        assertThatThrownBy(() -> PathUtils.validatePath(path))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void sequentialCreateMayEndInASlash() {
        assertThatCode(() -> PathUtils.validatePath("/parent/", true)).doesNotThrowAnyException();
        assertThatCode(() -> PathUtils.validatePath("/", true)).doesNotThrowAnyException();
        assertThatCode(() -> PathUtils.validatePath("/lock-", true)).doesNotThrowAnyException();
        assertThatThrownBy(() -> PathUtils.validatePath("/parent/", false))
                .hasMessage("Path must not end with / character");
    }

    @Test
    void sequentialValidationIsOfThePathWithASuffix() {
        assertThatThrownBy(() -> PathUtils.validatePath("/a//", true))
                .hasMessage("Invalid path string \"/a//1\" caused by empty node name specified @3");
        // "/a/." becomes "/a/.1", an ordinary name
        assertThatCode(() -> PathUtils.validatePath("/a/.", true)).doesNotThrowAnyException();
        assertThatThrownBy(() -> PathUtils.validatePath("/a/.", false))
                .hasMessage("Invalid path string \"/a/.\" caused by relative paths not allowed @3");
        // ZooKeeper appends before checking for null, so a null sequential path is "null1"
        assertThatThrownBy(() -> PathUtils.validatePath(null, true)).hasMessage("Path must start with / character");
        assertThatThrownBy(() -> PathUtils.validatePath("", true)).hasMessage("Path must start with / character");
    }

    @Test
    void parentOf() {
        assertThat(PathUtils.parentOf("/a/b")).isEqualTo("/a");
        assertThat(PathUtils.parentOf("/a")).isEqualTo("/");
        assertThat(PathUtils.parentOf("/a/b/c")).isEqualTo("/a/b");
        assertThat(PathUtils.parentOf("/a/")).as("sequential prefix ending in /").isEqualTo("/a");
        assertThatThrownBy(() -> PathUtils.parentOf("/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PathUtils.parentOf("a")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lastSegment() {
        assertThat(PathUtils.lastSegment("/a/b")).isEqualTo("b");
        assertThat(PathUtils.lastSegment("/a")).isEqualTo("a");
        assertThat(PathUtils.lastSegment("/")).isEmpty();
        assertThatThrownBy(() -> PathUtils.lastSegment("a")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void join() {
        assertThat(PathUtils.join("/", "a")).isEqualTo("/a");
        assertThat(PathUtils.join("/a", "b")).isEqualTo("/a/b");
        assertThat(PathUtils.join(PathUtils.parentOf("/x/y"), PathUtils.lastSegment("/x/y"))).isEqualTo("/x/y");
    }

    /** Paths from an alphabet full of the characters the rules care about. */
    @Provide
    Arbitrary<String> trickyPaths() {
        Arbitrary<Character> c = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of('/', '.', 'a')),
                Tuple.of(1, Arbitraries.of('\u0000', '\u0001', '\u001f', ' ', '\u007f', '\u0080',
                        '\u009f', '\u00a0', '\ud7ff', '\ud800', '\udfff', '\uf8ff', '\uf900', '\uffef', '\ufff0',
                        '\uffff')),
                Tuple.of(1, Arbitraries.chars()));
        return c.list().ofMaxSize(12).map(chars -> {
            StringBuilder sb = new StringBuilder();
            chars.forEach(sb::append);
            return sb.toString();
        });
    }

    @Property(tries = 5000)
    void agreesWithZooKeeper(@ForAll("trickyPaths") String path, @ForAll boolean sequential) {
        assertThat(outcome(() -> PathUtils.validatePath(path, sequential)))
                .isEqualTo(outcome(() -> org.apache.zookeeper.common.PathUtils.validatePath(path, sequential)));
    }

    private static String outcome(Runnable validation) {
        try {
            validation.run();
            return "valid";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
