package dev.meerkat.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code meerkat sample NAME [--server host:port]} runs a sample and exits with its status. */
class SampleCommandTest {

    @Test
    void theNameAndServerReachTheSample() {
        CommandLine.ParseResult result = new CommandLine(new Main())
                .parseArgs("sample", "discovery", "--server", "127.0.0.1:2181");
        SampleCommand sample = (SampleCommand) result.subcommand().commandSpec().userObject();
        assertThat(sample.name).isEqualTo("discovery");
        assertThat(sample.server).isEqualTo("127.0.0.1:2181");
    }

    @Test
    void aSampleRunsOnItsOwnServerAndExitsWithItsStatus() {
        assertThat(new CommandLine(new Main()).execute("sample", "lock")).isZero();
        assertThat(new CommandLine(new Main()).execute("sample", "nonsense")).isEqualTo(2);
    }
}
