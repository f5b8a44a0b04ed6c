package dev.meerkat.cli.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a shell line into words as zkCli does: on white space, with a word in double or single
 * quotes kept whole and the quotes removed ({@code create /a "hello world"}). There is no escaping;
 * a quote inside a word is an ordinary character.
 */
public final class Tokenizer {
    private static final Pattern WORD = Pattern.compile("\\s*([^\"']\\S*|\"[^\"]*\"|'[^']*')\\s*");
    private static final Pattern QUOTED = Pattern.compile("^(['\"])(.*)(\\1)$");

    private Tokenizer() {
    }

    /** The words of {@code line}; empty for a blank line. */
    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(line);
        while (m.find()) {
            String w = m.group(1);
            if (QUOTED.matcher(w).matches()) {
                w = w.substring(1, w.length() - 1);
            }
            words.add(w);
        }
        return words;
    }
}
