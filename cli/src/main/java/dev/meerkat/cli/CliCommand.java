package dev.meerkat.cli;

import ch.qos.logback.classic.Level;
import dev.meerkat.cli.shell.ShellMain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Stack;
import java.util.concurrent.Callable;

/**
 * {@code meerkat cli [-server host:port,...] [-timeout ms] [cmd args...]}: the zkCli.sh shell. Its
 * arguments are zkCli's (single-dash options, then a command whose own options follow it), so
 * they are handed over as they are, {@code --} included, rather than parsed here.
 */
@Command(name = "cli", preprocessor = CliCommand.TakeAll.class,
        description = "A shell with zkCli.sh's commands and output: interactive, or one command "
                + "(meerkat cli -server HOST:PORT get /a). See meerkat cli -help.")
final class CliCommand implements Callable<Integer> {
    final List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        quietClientLogs();
        return ShellMain.run(args, System.in, System.out, System.err);
    }

    /**
     * The shell prints what matters itself, in zkCli's words (errors, connection events); the
     * client's log lines (session established, credentials refused) would only interleave with it. {@code -Dmeerkat.log.level} still decides when given.
     */
    private static void quietClientLogs() {
        if (System.getProperty("meerkat.log.level") != null) {
            return;
        }
        Logger logger = LoggerFactory.getLogger("dev.meerkat");
        if (logger instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(Level.ERROR);
        }
    }

    /** Takes every argument after {@code cli} for the shell, before picocli would interpret any. */
    static final class TakeAll implements IParameterPreprocessor {
        @Override
        public boolean preprocess(Stack<String> args, CommandSpec spec, ArgSpec argSpec, Map<String, Object> info) {
            CliCommand command = (CliCommand) spec.userObject();
            while (!args.isEmpty()) {
                command.args.add(args.pop());
            }
            return true;
        }
    }
}
