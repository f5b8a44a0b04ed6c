package dev.meerkat.cli;

import dev.meerkat.server.storage.SnapshotReader;
import dev.meerkat.server.storage.SnapshotSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code meerkat snapshot FILE}: summarises a snapshot, like ZooKeeper's SnapshotFormatter. */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = "Summarise a snapshot file: nodes, sessions, zxids, size, CRC.")
final class SnapshotCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "a snapshot.<zxid> file under dataDir/version-2")
    Path file;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(file)) {
            System.err.println("Not a file: " + file);
            return 2;
        }
        try {
            SnapshotSummary summary = SnapshotReader.summarize(file);
            System.out.print(summary.describe());
            return summary.crcOk() ? 0 : 1;
        } catch (IOException e) {
            System.err.println("Cannot read " + file + ": " + e.getMessage());
            return 1;
        }
    }
}
