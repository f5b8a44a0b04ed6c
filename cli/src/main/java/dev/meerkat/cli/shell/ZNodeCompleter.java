package dev.meerkat.cli.shell;

import dev.meerkat.client.BlockingMeerkat;
import dev.meerkat.client.MeerkatException;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Tab completion as zkCli's: a word that starts with {@code /} completes to the children of the
 * node it names so far (asked of the server), any other word to the command names.
 */
public final class ZNodeCompleter implements Completer {
    private final Shell shell;

    public ZNodeCompleter(Shell shell) {
        this.shell = shell;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        String word = line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
        for (String c : candidates(word)) {
            candidates.add(new Candidate(c, c, null, null, null, null, true));
        }
    }

    /** What {@code word} may complete to, sorted: znode paths for a path, else command names. */
    public List<String> candidates(String word) {
        List<String> result = new ArrayList<>();
        if (word.startsWith("/")) {
            int idx = word.lastIndexOf('/') + 1;
            String prefix = word.substring(idx);
            // only the root ends with a slash, so strip it from every other parent
            String dir = idx == 1 ? "/" : word.substring(0, idx - 1);
            BlockingMeerkat zk = shell.zk();
            if (zk == null || !shell.isAlive()) {
                return result;
            }
            List<String> children;
            try {
                children = zk.getChildren(dir);
            } catch (MeerkatException | IllegalArgumentException e) {
                return result;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return result;
            }
            for (String child : children) {
                if (child.startsWith(prefix)) {
                    result.add(dir + (idx == 1 ? "" : "/") + child);
                }
            }
            Collections.sort(result);
        } else {
            for (String cmd : Shell.commandNames()) {
                if (cmd.startsWith(word)) {
                    result.add(cmd);
                }
            }
            if ("help".startsWith(word)) {
                result.add("help");
                Collections.sort(result);
            }
        }
        return result;
    }
}
