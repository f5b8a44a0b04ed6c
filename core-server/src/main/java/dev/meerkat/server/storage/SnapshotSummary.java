package dev.meerkat.server.storage;

import java.nio.file.Path;

/**
 * What {@code bin/meerkat snapshot FILE} prints about a snapshot, in the manner of ZooKeeper's
 * SnapshotFormatter summary. For a corrupt file the figures are as far as reading got (-1 where
 * it did not get that far) and {@code problem} says what is wrong.
 *
 * @param crcOk the file is complete (footer present) and its CRC32C matches its content
 * @param problem null when {@code crcOk}
 */
public record SnapshotSummary(Path file, long fileSize, boolean crcOk, long startZxid, long endZxid,
                              long nodeCount, int sessionCount, String problem) {

    /** One line per figure, for the command-line tool. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append("Snapshot: ").append(file).append('\n');
        out.append("File size: ").append(fileSize).append(" bytes\n");
        out.append("CRC: ").append(crcOk ? "ok" : "CORRUPT (" + problem + ")").append('\n');
        out.append("Start zxid (last fully included): ").append(hex(startZxid)).append('\n');
        out.append("End zxid (replay must reach): ").append(hex(endZxid)).append('\n');
        out.append("Nodes: ").append(nodeCount).append('\n');
        out.append("Sessions: ").append(sessionCount < 0 ? "unknown" : Integer.toString(sessionCount)).append('\n');
        return out.toString();
    }

    private static String hex(long zxid) {
        return zxid < 0 ? "unknown" : "0x" + Long.toHexString(zxid);
    }
}
