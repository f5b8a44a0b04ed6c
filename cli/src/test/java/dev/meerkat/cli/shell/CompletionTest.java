package dev.meerkat.cli.shell;

import org.jline.reader.Candidate;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Tab completion: znode paths from the server, command names otherwise. */
class CompletionTest extends ShellTestBase {

    @Test
    void pathsCompleteToTheChildrenOfTheTypedParent() throws Exception {
        create(p("app"));
        create(p("apple"));
        create(p("banana"));
        create(p("app/config"));
        try (ShellSession s = new ShellSession(server.connectString())) {
            ZNodeCompleter completer = new ZNodeCompleter(s.shell);
            assertThat(completer.candidates(p("ap"))).containsExactly(p("app"), p("apple"));
            assertThat(completer.candidates(base + "/")).containsExactly(p("app"), p("apple"), p("banana"));
            assertThat(completer.candidates(p("app/"))).containsExactly(p("app/config"));
            assertThat(completer.candidates(p("b"))).containsExactly(p("banana"));
            assertThat(completer.candidates(p("nope/x"))).isEmpty();
            assertThat(completer.candidates("/")).contains(base, "/zookeeper");
            assertThat(completer.candidates(base.substring(0, 2))).contains(base);

            assertThat(completer.candidates("get")).containsExactly("get", "getAcl", "getAllChildrenNumber", "getEphemerals");
            assertThat(completer.candidates("h")).containsExactly("help", "history");
            assertThat(completer.candidates("x")).isEmpty();

            // through jline, as Tab asks: the word under the cursor of a parsed line
            try (Terminal terminal = TerminalBuilder.builder().system(false).dumb(true).type("dumb")
                    .streams(InputStream.nullInputStream(), new ByteArrayOutputStream())
                    .encoding(StandardCharsets.UTF_8).build()) {
                LineReader reader = LineReaderBuilder.builder().terminal(terminal).completer(completer).build();
                String line = "ls " + p("ap");
                ParsedLine parsed = reader.getParser().parse(line, line.length(), Parser.ParseContext.COMPLETE);
                List<Candidate> candidates = new ArrayList<>();
                completer.complete(reader, parsed, candidates);
                assertThat(candidates).extracting(Candidate::value).containsExactly(p("app"), p("apple"));

                parsed = reader.getParser().parse("dele", 4, Parser.ParseContext.COMPLETE);
                candidates.clear();
                completer.complete(reader, parsed, candidates);
                assertThat(candidates).extracting(Candidate::value).containsExactly("delete", "deleteall");
            }

            s.type("close");
            assertThat(completer.candidates(p("ap"))).isEmpty();
        }
    }
}
