package dev.meerkat.server.storage;

import dev.meerkat.protocol.record.ACL;
import dev.meerkat.protocol.record.Id;
import dev.meerkat.server.tree.DataTree;
import dev.meerkat.server.tree.DataTreeBuilder;
import dev.meerkat.server.tree.NodeImage;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one snapshot file (format: {@link SnapshotFormat}). A file is either read whole, footer
 * and CRC checked, or reported as corrupt; nothing half-read is ever returned.
 *
 * <p>Corruption ({@link SnapshotCorruptException}) is anything wrong with the bytes: too short,
 * no footer, a bad magic or version, a length or tag that makes no sense, a CRC mismatch, or
 * nodes that do not form a tree. An {@link IOException} is the disk failing to deliver them, and
 * is not a reason to fall back quietly to an older snapshot.
 */
public final class SnapshotReader {

    private SnapshotReader() {
    }

    /**
     * The snapshot in {@code file}, as a tree in recovery.
     *
     * @throws SnapshotCorruptException if the file cannot be trusted
     * @throws IOException if it cannot be read
     */
    public static Snapshot read(Path file) throws IOException, SnapshotCorruptException {
        try (SnapshotInput in = new SnapshotInput(file)) {
            Parse parse = new Parse(file, in);
            parse.header();
            DataTreeBuilder builder = new DataTreeBuilder(parse.startZxid);
            for (NodeImage node = parse.nextNode(); node != null; node = parse.nextNode()) {
                try {
                    builder.add(node);
                } catch (IllegalArgumentException e) {
                    throw new SnapshotCorruptException(file, file + ": " + e.getMessage(), e);
                }
            }
            parse.footer();
            if (builder.nodeCount() == 0) {
                throw new SnapshotCorruptException(file, file + " holds no nodes, not even the root");
            }
            DataTree tree = builder.build(parse.endZxid);
            return new Snapshot(file, parse.startZxid, parse.endZxid, parse.sessions, tree);
        } catch (EOFException e) {
            throw new SnapshotCorruptException(file, file + " is truncated: " + e.getMessage(), e);
        }
    }

    /**
     * Summarise a snapshot without building a tree; a corrupt file gives a summary that says so.
     *
     * @throws IOException only if the file cannot be read at all
     */
    public static SnapshotSummary summarize(Path file) throws IOException {
        long size = Files.size(file);
        Parse parse = null;
        String problem;
        try (SnapshotInput in = new SnapshotInput(file)) {
            parse = new Parse(file, in);
            parse.header();
            while (parse.nextNode() != null) {
                // counted by the parse
            }
            parse.footer();
            return new SnapshotSummary(file, size, true, parse.startZxid, parse.endZxid, parse.nodes,
                    parse.sessions.size(), null);
        } catch (SnapshotCorruptException e) {
            problem = e.getMessage();
        } catch (EOFException e) {
            problem = "truncated: " + e.getMessage();
        }
        return new SnapshotSummary(file, size, false, parse == null ? -1 : parse.startZxid, -1,
                parse == null ? 0 : parse.nodes, parse == null || parse.sessions == null ? -1 : parse.sessions.size(),
                problem);
    }

    /** True if the file reads whole and its CRC matches. */
    static boolean isValid(Path file) throws IOException {
        return summarize(file).crcOk();
    }

    /** The reading of one file, field by field, keeping the figures a summary needs. */
    private static final class Parse {
        /** id, timeout and the password's length. */
        private static final int MIN_SESSION_SIZE = 8 + 4 + 4;
        /** perms and the lengths of scheme and id. */
        private static final int MIN_ACL_SIZE = 4 + 4 + 4;

        private final Path file;
        private final SnapshotInput in;
        /** Equal ACL lists shared, as most nodes of a tree have one of a few. */
        private final Map<List<ACL>, List<ACL>> acls = new HashMap<>();
        long startZxid = -1;
        List<SnapshotSession> sessions;
        long nodes;
        long endZxid = -1;
        private long maxSerializedAt;

        Parse(Path file, SnapshotInput in) {
            this.file = file;
            this.in = in;
        }

        void header() throws IOException, SnapshotCorruptException {
            if (in.size() < SnapshotFormat.MIN_SIZE) {
                throw corrupt("is " + in.size() + " bytes long, too short for a snapshot");
            }
            // Checked first so that a torn write is named as such, not as whatever garbage follows.
            if (in.tailInt() != SnapshotFormat.FOOTER_MAGIC) {
                throw corrupt("has no footer: it was not completely written");
            }
            int magic = in.readInt();
            if (magic != SnapshotFormat.MAGIC) {
                throw corrupt("is not a snapshot (magic 0x" + Integer.toHexString(magic) + ")");
            }
            int version = in.readInt();
            if (version != SnapshotFormat.VERSION) {
                throw corrupt("has unsupported format version " + version);
            }
            startZxid = in.readLong();
            maxSerializedAt = startZxid;
            int count = in.readCount("session", MIN_SESSION_SIZE);
            List<SnapshotSession> read = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long id = in.readLong();
                int timeout = in.readInt();
                byte[] password = in.readBuffer("session password");
                if (password == null) {
                    throw corrupt("has a session without a password at offset " + in.position());
                }
                read.add(new SnapshotSession(id, timeout, password));
            }
            sessions = read;
        }

        /** The next node, or null at the end record. */
        NodeImage nextNode() throws IOException, SnapshotCorruptException {
            long at = in.position();
            byte tag = in.readByte();
            if (tag == SnapshotFormat.END) {
                return null;
            }
            if (tag != SnapshotFormat.NODE) {
                throw corrupt("has an unknown record tag " + tag + " at offset " + at);
            }
            String path = in.readString("path");
            if (path == null) {
                throw corrupt("has a node without a path at offset " + at);
            }
            byte[] data = in.readBuffer("data of " + path);
            int aclCount = in.readCount("ACL entry", MIN_ACL_SIZE);
            List<ACL> read = new ArrayList<>(aclCount);
            for (int i = 0; i < aclCount; i++) {
                int perms = in.readInt();
                String scheme = in.readString("ACL scheme of " + path);
                String id = in.readString("ACL id of " + path);
                read.add(new ACL(perms, new Id(scheme, id)));
            }
            List<ACL> acl = acls.computeIfAbsent(List.copyOf(read), k -> k);
            NodeImage node = new NodeImage(path, data, acl, in.readLong(), in.readLong(), in.readLong(),
                    in.readLong(), in.readInt(), in.readInt(), in.readInt(), in.readLong(), in.readLong(),
                    in.readLong());
            maxSerializedAt = Math.max(maxSerializedAt, node.serializedAt());
            nodes++;
            return node;
        }

        void footer() throws IOException, SnapshotCorruptException {
            long nodeCount = in.readLong();
            long end = in.readLong();
            int computed = in.crc();
            int stored = in.readInt();
            int footerMagic = in.readInt();
            if (stored != computed) {
                throw corrupt("fails its CRC check (stored 0x" + Integer.toHexString(stored) + ", computed 0x"
                        + Integer.toHexString(computed) + ")");
            }
            if (footerMagic != SnapshotFormat.FOOTER_MAGIC) {
                throw corrupt("has a bad footer at offset " + (in.position() - 4));
            }
            if (in.remaining() != 0) {
                throw corrupt("has " + in.remaining() + " unexpected bytes after its footer");
            }
            if (nodeCount != nodes) {
                throw corrupt("says it holds " + nodeCount + " nodes but holds " + nodes);
            }
            if (end < maxSerializedAt) {
                throw corrupt("says its end zxid is 0x" + Long.toHexString(end) + " but it has a node from 0x"
                        + Long.toHexString(maxSerializedAt));
            }
            endZxid = end;
        }

        private SnapshotCorruptException corrupt(String what) {
            return new SnapshotCorruptException(file, file + " " + what);
        }
    }
}
