package dev.meerkat.cli.shell;

import dev.meerkat.protocol.Perms;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.protocol.record.Id;
import dev.meerkat.protocol.record.Stat;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How lines, options, ACLs and stats are read and printed, without a server. */
class ParsingTest {

    @Test
    void wordsSplitOnSpacesWithQuotedWordsKeptWhole() {
        assertThat(Tokenizer.split("create /a \"hello world\" 'x y'")).containsExactly("create", "/a", "hello world", "x y");
        assertThat(Tokenizer.split("  ls   -R  / ")).containsExactly("ls", "-R", "/");
        // as zkCli: no escapes, and a quote inside a word is kept
        assertThat(Tokenizer.split("set /a it's")).containsExactly("set", "/a", "it's");
        assertThat(Tokenizer.split("create /n2 'it''s'")).containsExactly("create", "/n2", "it", "s");
        assertThat(Tokenizer.split("")).isEmpty();
    }

    @Test
    void optionsAsCommonsCliParsesThem() throws ShellException {
        ParsedOptions p = ParsedOptions.parse(List.of("set", "/a", "data", "-s", "-v", "3"), "sv:b");
        assertThat(p.args()).containsExactly("set", "/a", "data");
        assertThat(p.has('s')).isTrue();
        assertThat(p.value('v')).isEqualTo("3");
        assertThat(p.has('b')).isFalse();

        p = ParsedOptions.parse(List.of("create", "-se", "/a"), "esct:");
        assertThat(p.has('s') && p.has('e')).isTrue();
        assertThat(p.args()).containsExactly("create", "/a");

        p = ParsedOptions.parse(List.of("create", "-t60", "/a"), "esct:");
        assertThat(p.value('t')).isEqualTo("60");
        p = ParsedOptions.parse(List.of("set", "-v", "-1", "/a", "d"), "sv:b");
        assertThat(p.value('v')).isEqualTo("-1");
        p = ParsedOptions.parse(List.of("create", "--", "-a", "b"), "esct:");
        assertThat(p.args()).containsExactly("create", "-a", "b");
        p = ParsedOptions.parse(List.of("create", "/a", "-"), "esct:");
        assertThat(p.args()).containsExactly("create", "/a", "-");

        assertThatThrownBy(() -> ParsedOptions.parse(List.of("ls", "-z", "/"), "?swR"))
                .hasMessage("org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -z");
        assertThatThrownBy(() -> ParsedOptions.parse(List.of("ls", "-sz", "/"), "?swR"))
                .hasMessage("org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -sz");
        assertThatThrownBy(() -> ParsedOptions.parse(List.of("set", "/a", "d", "-v"), "sv:b"))
                .hasMessage("org.apache.commons.cli.MissingArgumentException: Missing argument for option: v");
        assertThatThrownBy(() -> ParsedOptions.parse(List.of("set", "-v", "-s", "/a", "d"), "sv:b"))
                .hasMessage("org.apache.commons.cli.MissingArgumentException: Missing argument for option: v");
    }

    @Test
    void aclsParseAndPrintAsZkCliDoes() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        List<ACL> acl = AclParser.parse("world:anyone:r,digest:bob:abc=:cdrwa,auth::crx,broken", errStream);
        assertThat(acl).containsExactly(
                new ACL(Perms.READ, Id.ANYONE),
                new ACL(Perms.ALL, new Id("digest", "bob:abc=")),
                new ACL(Perms.CREATE | Perms.READ, new Id("auth", "")));
        assertThat(err.toString(StandardCharsets.UTF_8).lines())
                .containsExactly("Unknown perm type: x", "broken does not have the form scheme:id:perm");

        String nl = System.lineSeparator();
        assertThat(Formats.acl(new ACL(Perms.ALL, Id.ANYONE))).isEqualTo("'world,'anyone" + nl + ": cdrwa");
        assertThat(Formats.acl(new ACL(Perms.WRITE | Perms.ADMIN, new Id("x", "a,b%c}d")))).isEqualTo("'x,'a%2Cb%25c%7Dd" + nl + ": wa");
        assertThat(Formats.perms(0)).isEmpty();
    }

    @Test
    void statPrintsElevenLines() {
        Stat stat = new Stat(0x10, 0x1f, 1_000, 2_000, 3, 4, 5, 0x123L, 6, 7, 0x20);
        assertThat(Formats.stat(stat).lines()).containsExactly(
                "cZxid = 0x10",
                "ctime = " + new Date(1_000),
                "mZxid = 0x1f",
                "mtime = " + new Date(2_000),
                "pZxid = 0x20",
                "cversion = 4",
                "dataVersion = 3",
                "aclVersion = 5",
                "ephemeralOwner = 0x123",
                "dataLength = 6",
                "numChildren = 7");
    }

    @Test
    void processOptionsComeBeforeTheCommand() {
        ShellMain.Options o = ShellMain.Options.parse(List.of("-server", "h1:1,h2:2/app", "-timeout", "5000", "ls", "-s", "/"));
        assertThat(o.server()).isEqualTo("h1:1,h2:2/app");
        assertThat(o.timeoutMs()).isEqualTo(5000);
        assertThat(o.command()).containsExactly("ls", "-s", "/");

        o = ShellMain.Options.parse(List.of("-r", "-waitforconnection"));
        assertThat(o.server()).isEqualTo("localhost:2181");
        assertThat(o.command()).isEmpty();
        assertThat(ShellMain.Options.parse(List.of("-help")).help()).isTrue();
        assertThatThrownBy(() -> ShellMain.Options.parse(List.of("-server")))
                .hasMessage("Error: no argument found for option -server");
        assertThatThrownBy(() -> ShellMain.Options.parse(List.of("-timeout", "soon")))
                .hasMessageContaining("-timeout");
    }
}
