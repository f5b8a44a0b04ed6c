package dev.meerkat.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code meerkat cli ...} hands zkCli's arguments to the shell untouched. */
class CliCommandTest {

    @Test
    void theArgumentsReachTheShellAsGiven() {
        CommandLine.ParseResult result = new CommandLine(new Main())
                .parseArgs("cli", "-server", "127.0.0.1:2181", "-timeout", "5000", "ls", "-s", "-R", "--", "/");
        CliCommand cli = (CliCommand) result.subcommand().commandSpec().userObject();
        assertThat(cli.args).containsExactly("-server", "127.0.0.1:2181", "-timeout", "5000", "ls", "-s", "-R", "--", "/");
    }
}
