package dev.meerkat.recipes;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Just enough JSON for the recipes' node data: an object whose values are strings or objects of
 * the same kind (numbers, booleans and null are read as their text, null as absent). Written by
 * hand so the recipes need no JSON library.
 */
public final class Json {
    private Json() {
    }

    /** Encodes a map whose values are Strings (or other such maps; anything else by its toString). */
    public static String encode(Map<String, ?> map) {
        StringBuilder sb = new StringBuilder();
        writeObject(sb, map);
        return sb.toString();
    }

    private static void writeObject(StringBuilder sb, Map<String, ?> map) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, ?> e : map.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            if (!first) {
                sb.append(',');
            }
            first = false;
            writeString(sb, e.getKey());
            sb.append(':');
            if (e.getValue() instanceof Map<?, ?> nested) {
                @SuppressWarnings("unchecked")
                Map<String, ?> m = (Map<String, ?>) nested;
                writeObject(sb, m);
            } else {
                writeString(sb, e.getValue().toString());
            }
        }
        sb.append('}');
    }

    private static void writeString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /**
     * Decodes an object; values are Strings or nested {@code Map<String, Object>}s, in document order.
     *
     * @throws IllegalArgumentException if the text is not such an object
     */
    public static Map<String, Object> decode(String text) {
        Parser p = new Parser(text);
        p.skipSpace();
        Map<String, Object> map = p.object();
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("trailing text");
        }
        return map;
    }

    /** Decodes an object whose values are all strings. */
    public static Map<String, String> decodeFlat(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : decode(text).entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new IllegalArgumentException("not a flat map of strings: " + e.getKey());
            }
            out.put(e.getKey(), s);
        }
        return out;
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        Map<String, Object> object() {
            expect('{');
            Map<String, Object> map = new LinkedHashMap<>();
            skipSpace();
            if (peek() == '}') {
                pos++;
                return map;
            }
            for (;;) {
                skipSpace();
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                Object value = value();
                if (value != null) {
                    map.put(key, value);
                }
                skipSpace();
                char c = next();
                if (c == '}') {
                    return map;
                }
                if (c != ',') {
                    throw error("expected , or }");
                }
            }
        }

        private Object value() {
            char c = peek();
            if (c == '"') {
                return string();
            }
            if (c == '{') {
                return object();
            }
            int start = pos;
            while (pos < s.length() && "{}[],:\" \t\r\n".indexOf(s.charAt(pos)) < 0) {
                pos++;
            }
            String literal = s.substring(start, pos);
            if (literal.equals("null")) {
                return null;
            }
            if (literal.equals("true") || literal.equals("false") || literal.matches("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?")) {
                return literal;
            }
            throw error("unsupported value");
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            for (;;) {
                char c = next();
                if (c == '"') {
                    return sb.toString();
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw error("short \\u escape");
                        }
                        try {
                            sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw error("bad \\u escape");
                        }
                        pos += 4;
                    }
                    default -> throw error("bad escape");
                }
            }
        }

        void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private char peek() {
            if (pos >= s.length()) {
                throw error("unexpected end");
            }
            return s.charAt(pos);
        }

        private char next() {
            char c = peek();
            pos++;
            return c;
        }

        private void expect(char c) {
            if (next() != c) {
                pos--;
                throw error("expected " + c);
            }
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("bad JSON at " + pos + ": " + what);
        }
    }
}
