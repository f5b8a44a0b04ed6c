package dev.meerkat.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name value} and {@code --flag} command lines of the benchmark tools. Option names
 * are matched without regard to case; a value option given twice keeps the last value, except
 * where read with {@link Parsed#all}. Unknown options, stray words and a value option without its
 * value throw IllegalArgumentException with a message for the user.
 *
 * <pre>{@code
 * ArgParser.Parsed p = new ArgParser().flags("--quick").values("--runs", "--out").parse(args);
 * int runs = p.integer("--runs", p.flag("--quick") ? 3 : 5);
 * }</pre>
 */
public final class ArgParser {
    private final Set<String> flags = new HashSet<>();
    private final Set<String> values = new HashSet<>();

    /** Options that stand alone, such as {@code --quick}. */
    public ArgParser flags(String... names) {
        for (String n : names) {
            flags.add(key(n));
        }
        return this;
    }

    /** Options followed by a value, such as {@code --runs 3}. */
    public ArgParser values(String... names) {
        for (String n : names) {
            values.add(key(n));
        }
        return this;
    }

    public Parsed parse(String... args) {
        Set<String> seen = new HashSet<>();
        Map<String, List<String>> given = new HashMap<>();
        for (int k = 0; k < args.length; k++) {
            String a = args[k];
            String name = key(a);
            if (flags.contains(name)) {
                seen.add(name);
                continue;
            }
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            if (!values.contains(name)) {
                throw new IllegalArgumentException("unknown option " + a);
            }
            if (k + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            given.computeIfAbsent(name, n -> new ArrayList<>()).add(args[++k]);
        }
        return new Parsed(seen, given);
    }

    /** Whether {@code args} hold {@code flag}, before or without parsing (for --help, or a flag that sets defaults). */
    public static boolean has(String[] args, String... flag) {
        for (String a : args) {
            for (String f : flag) {
                if (key(a).equals(key(f))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** What a command line gave; each getter takes the default for an option not given. */
    public static final class Parsed {
        private final Set<String> flags;
        private final Map<String, List<String>> values;

        private Parsed(Set<String> flags, Map<String, List<String>> values) {
            this.flags = flags;
            this.values = values;
        }

        public boolean flag(String name) {
            return flags.contains(key(name));
        }

        public String string(String name, String fallback) {
            List<String> v = values.get(key(name));
            return v == null ? fallback : v.get(v.size() - 1);
        }

        public int integer(String name, int fallback) {
            String v = string(name, null);
            if (v == null) {
                return fallback;
            }
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " needs a whole number, not '" + v + "'");
            }
        }

        public Path path(String name, Path fallback) {
            String v = string(name, null);
            return v == null ? fallback : Path.of(v);
        }

        /** Every value of a repeatable option, in order; empty if not given. */
        public List<String> all(String name) {
            return List.copyOf(values.getOrDefault(key(name), List.of()));
        }

        /** A comma-separated list, or {@code fallback} if not given. */
        public List<String> list(String name, List<String> fallback) {
            String v = string(name, null);
            return v == null ? fallback : List.of(v.split(","));
        }
    }
}
