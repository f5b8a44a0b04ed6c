package dev.meerkat.server.storage;

import dev.meerkat.protocol.record.ACL;
import dev.meerkat.server.tree.NodeImage;

import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The on-disk snapshot format, version 1. Big-endian throughout; a string is an int byte length
 * (-1 for null) and that many bytes of UTF-8; a buffer is an int length (-1 for null) and that many bytes.
 *
 * <pre>
 * header   int    magic 0x4D4B534E ("MKSN")
 *          int    format version (1)
 *          long   startZxid: the last zxid the snapshot fully includes
 *          int    session count, then per session:
 *                   long id, int timeout (ms), buffer password
 * nodes    per node, parents before children:
 *          byte   1
 *          string path
 *          buffer data
 *          int    ACL entry count, then per entry: int perms, string scheme, string id
 *          long   czxid, long mzxid, long ctime, long mtime
 *          int    version, int aversion, int childCreateCount (stored counter, not cversion)
 *          long   pzxid, long ephemeralOwner (raw: container and TTL encodings included)
 *          long   serializedAt: the last zxid this node's image reflects
 * end      byte   0
 *          long   node count
 *          long   endZxid: the last zxid applied when the walk ended (at least every
 *                 serializedAt); replay must reach it
 *          int    CRC32C of every byte above, from the magic on
 *          int    footer magic 0x4D4B5345 ("MKSE")
 * </pre>
 *
 * ACLs are written inline with each node rather than as a table of ids, so a fuzzy snapshot can
 * never refer to an ACL entry it does not contain (ZOOKEEPER-4846); the reader shares equal lists.
 * A file is named {@code snapshot.<startZxid as 16 hex digits>}; while being written it carries a
 * {@code .tmp} suffix and no reader looks at it.
 */
final class SnapshotFormat {

    static final int MAGIC = 0x4D4B534E;
    static final int VERSION = 1;
    static final int FOOTER_MAGIC = 0x4D4B5345;
    static final byte NODE = 1;
    static final byte END = 0;
    /** Header without sessions, end tag, node count, endZxid, CRC, footer magic. */
    static final int MIN_SIZE = 4 + 4 + 8 + 4 + 1 + 8 + 8 + 4 + 4;
    static final String PREFIX = "snapshot.";
    static final String TEMP_SUFFIX = ".tmp";
    private static final Pattern NAME = Pattern.compile("snapshot\\.([0-9a-f]{16})");

    private SnapshotFormat() {
    }

    static String fileName(long zxid) {
        return PREFIX + String.format("%016x", zxid);
    }

    /** The zxid in a snapshot file's name; empty for any other file, temporary ones included. */
    static OptionalLong zxidOf(Path file) {
        Path name = file.getFileName();
        if (name == null) {
            return OptionalLong.empty();
        }
        Matcher m = NAME.matcher(name.toString());
        return m.matches() ? OptionalLong.of(Long.parseUnsignedLong(m.group(1), 16)) : OptionalLong.empty();
    }

    static void writeHeader(DataOutput out, long startZxid, Collection<SnapshotSession> sessions) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeLong(startZxid);
        out.writeInt(sessions.size());
        for (SnapshotSession session : sessions) {
            out.writeLong(session.id());
            out.writeInt(session.timeout());
            writeBuffer(out, session.password());
        }
    }

    static void writeNode(DataOutput out, NodeImage node) throws IOException {
        out.writeByte(NODE);
        writeString(out, node.path());
        writeBuffer(out, node.data());
        out.writeInt(node.acl().size());
        for (ACL acl : node.acl()) {
            out.writeInt(acl.perms());
            writeString(out, acl.id().scheme());
            writeString(out, acl.id().id());
        }
        out.writeLong(node.czxid());
        out.writeLong(node.mzxid());
        out.writeLong(node.ctime());
        out.writeLong(node.mtime());
        out.writeInt(node.version());
        out.writeInt(node.aversion());
        out.writeInt(node.childCreateCount());
        out.writeLong(node.pzxid());
        out.writeLong(node.ephemeralOwner());
        out.writeLong(node.serializedAt());
    }

    /** What a node costs in memory while it waits for the writer thread, roughly. */
    static long estimatedSize(NodeImage node) {
        long size = 128 + 2L * node.path().length() + (node.data() == null ? 0 : node.data().length);
        return size + 48L * node.acl().size();
    }

    private static void writeString(DataOutput out, String s) throws IOException {
        writeBuffer(out, s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeBuffer(DataOutput out, byte[] b) throws IOException {
        if (b == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(b.length);
            out.write(b);
        }
    }
}
