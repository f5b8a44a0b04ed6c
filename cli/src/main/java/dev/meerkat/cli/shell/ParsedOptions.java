package dev.meerkat.cli.shell;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The options and arguments of one command's words, parsed the way zkCli's commands parse them
 * (Apache Commons CLI's DefaultParser with one-letter options): options and arguments may be
 * mixed ({@code set /a data -v 1}); letters may be grouped ({@code -se}); a value may follow its
 * option as the next word or in the same word ({@code -v1}); {@code --} ends the options. The
 * command name itself is argument 0, as in zkCli.
 */
final class ParsedOptions {
    private final Map<Character, String> options = new HashMap<>();
    private final List<String> args = new ArrayList<>();

    private ParsedOptions() {
    }

    /**
     * @param spec the option letters; a letter followed by {@code :} takes a value ("sv:b")
     * @throws ShellException with Commons CLI's words for an unknown option or a missing value
     */
    static ParsedOptions parse(List<String> words, String spec) throws ShellException {
        Map<Character, Boolean> takesValue = new HashMap<>();
        for (int i = 0; i < spec.length(); i++) {
            char c = spec.charAt(i);
            boolean value = i + 1 < spec.length() && spec.charAt(i + 1) == ':';
            takesValue.put(c, value);
            if (value) {
                i++;
            }
        }
        ParsedOptions p = new ParsedOptions();
        Character pending = null;
        boolean onlyArgs = false;
        for (String w : words) {
            if (onlyArgs) {
                p.args.add(w);
            } else if (w.equals("--")) {
                missing(pending);
                onlyArgs = true;
            } else if (pending != null && isValue(w, takesValue)) {
                p.options.putIfAbsent(pending, w);
                pending = null;
            } else if (w.equals("-") || !w.startsWith("-")) {
                p.args.add(w);
            } else {
                missing(pending);
                pending = null;
                if (w.startsWith("--")) {
                    throw unrecognized(w);
                }
                for (int i = 1; i < w.length(); i++) {
                    char c = w.charAt(i);
                    Boolean value = takesValue.get(c);
                    if (value == null) {
                        throw unrecognized(w);
                    }
                    if (value) {
                        if (i + 1 < w.length()) {
                            p.options.putIfAbsent(c, w.substring(i + 1));
                        } else {
                            pending = c;
                        }
                        break;
                    }
                    p.options.putIfAbsent(c, "");
                }
            }
        }
        missing(pending);
        return p;
    }

    /** Whether a word can be an option's value: not something that looks like one of the options. */
    private static boolean isValue(String w, Map<Character, Boolean> takesValue) {
        if (!w.startsWith("-") || w.length() < 2 || w.startsWith("--")) {
            return true;
        }
        return !takesValue.containsKey(w.charAt(1)) || isNumber(w);
    }

    private static boolean isNumber(String w) {
        try {
            Double.parseDouble(w);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void missing(Character pending) throws ShellException {
        if (pending != null) {
            throw new ShellException("org.apache.commons.cli.MissingArgumentException: Missing argument for option: "
                    + pending);
        }
    }

    private static ShellException unrecognized(String word) {
        return new ShellException("org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: " + word);
    }

    boolean has(char option) {
        return options.containsKey(option);
    }

    /** The option's value, or null when the option was not given. */
    String value(char option) {
        return options.get(option);
    }

    /** The arguments: the command name, then the words that are not options. */
    List<String> args() {
        return args;
    }

    int argCount() {
        return args.size();
    }

    String arg(int i) {
        return args.get(i);
    }
}
