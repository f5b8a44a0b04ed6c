package dev.meerkat.bench;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {

    @Test
    void writesNestedValuesInOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "a \"quoted\"\\ line\n");
        m.put("count", 3);
        m.put("ratio", 1.23456);
        m.put("whole", 2.0);
        m.put("missing", null);
        m.put("nan", Double.NaN);
        m.put("ok", true);
        m.put("list", List.of(1, 2));
        m.put("maps", List.of(Map.of("t", 1)));
        m.put("empty", Map.of());
        assertThat(Json.write(m)).isEqualTo("""
                {
                  "name": "a \\"quoted\\"\\\\ line\\n",
                  "count": 3,
                  "ratio": 1.235,
                  "whole": 2,
                  "missing": null,
                  "nan": null,
                  "ok": true,
                  "list": [1, 2],
                  "maps": [
                    {
                      "t": 1
                    }
                  ],
                  "empty": {}
                }
                """);
    }

    @Test
    void escapesControlCharacters() {
        assertThat(Json.write("\u0001\t")).isEqualTo("\"\\u0001\\t\"\n");
    }

    @Test
    void refusesOtherObjects() {
        assertThatThrownBy(() -> Json.write(Arrays.asList(new Object())))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
