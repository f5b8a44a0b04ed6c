package dev.meerkat.cli.shell;

import dev.meerkat.client.MeerkatException;
import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.Perms;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.protocol.record.Id;
import dev.meerkat.protocol.record.Stat;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Date;

/** How zkCli prints stats, ACLs, data and errors, to the character. */
final class Formats {
    private static final String NL = System.lineSeparator();

    private Formats() {
    }

    /** zkCli's StatPrinter: eleven lines, dates in this JVM's time zone as java.util.Date prints them. */
    static String stat(Stat s) {
        return "cZxid = 0x" + Long.toHexString(s.czxid()) + NL
                + "ctime = " + new Date(s.ctime()) + NL
                + "mZxid = 0x" + Long.toHexString(s.mzxid()) + NL
                + "mtime = " + new Date(s.mtime()) + NL
                + "pZxid = 0x" + Long.toHexString(s.pzxid()) + NL
                + "cversion = " + s.cversion() + NL
                + "dataVersion = " + s.version() + NL
                + "aclVersion = " + s.aversion() + NL
                + "ephemeralOwner = 0x" + Long.toHexString(s.ephemeralOwner()) + NL
                + "dataLength = " + s.dataLength() + NL
                + "numChildren = " + s.numChildren();
    }

    /**
     * One ACL entry as getAcl prints it: ZooKeeper prints the Id record itself, whose text form
     * (Jute's CSV) ends with a line break, so the permissions come on the next line.
     */
    static String acl(ACL a) {
        return id(a.id()) + NL + ": " + perms(a.perms());
    }

    /** An Id in Jute's CSV form: {@code 'world,'anyone}. */
    static String id(Id id) {
        return csv(id.scheme()) + "," + csv(id.id());
    }

    private static String csv(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 1).append('\'');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\0' -> b.append("%00");
                case '\n' -> b.append("%0A");
                case '\r' -> b.append("%0D");
                case ',' -> b.append("%2C");
                case '}' -> b.append("%7D");
                case '%' -> b.append("%25");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** ZKUtil.getPermString: the letters of the granted permissions in the order c d r w a. */
    static String perms(int perms) {
        StringBuilder p = new StringBuilder(5);
        if ((perms & Perms.CREATE) != 0) {
            p.append('c');
        }
        if ((perms & Perms.DELETE) != 0) {
            p.append('d');
        }
        if ((perms & Perms.READ) != 0) {
            p.append('r');
        }
        if ((perms & Perms.WRITE) != 0) {
            p.append('w');
        }
        if ((perms & Perms.ADMIN) != 0) {
            p.append('a');
        }
        return p.toString();
    }

    static String plain(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }

    static String base64(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }

    /** Netty's pretty hex dump, which zkCli's {@code get -x} prints. */
    static String hexDump(byte[] data) {
        return ByteBufUtil.prettyHexDump(Unpooled.wrappedBuffer(data));
    }

    /** KeeperException's own message: {@code KeeperErrorCode = NoNode for /a}. */
    static String keeperMessage(Code code, String path) {
        return "KeeperErrorCode = " + code.message() + (path == null ? "" : " for " + path);
    }

    /** What zkCli prints for a failed operation (its CliWrapperException). */
    static String error(MeerkatException e) {
        return error(e.code(), e.path());
    }

    static String error(Code code, String path) {
        return switch (code) {
            case NONODE -> "Node does not exist: " + path;
            case NOCHILDRENFOREPHEMERALS -> "Ephemerals cannot have children: " + path;
            case NODEEXISTS -> "Node already exists: " + path;
            case NOTEMPTY -> "Node not empty: " + path;
            case NOTREADONLY -> "Not a read-only call: " + path;
            case INVALIDACL -> "Acl is not valid : " + path;
            case NOAUTH -> "Insufficient permission : " + path;
            case BADARGUMENTS -> "Arguments are not valid : " + path;
            case BADVERSION -> "version No is not valid : " + path;
            case RECONFIGINPROGRESS -> "Another reconfiguration is in progress -- concurrent reconfigs not supported (yet)";
            case NEWCONFIGNOQUORUM -> "No quorum of new config is connected and up-to-date with the leader of last "
                    + "commmitted config - try invoking reconfiguration after new servers are connected and synced";
            case QUOTAEXCEEDED -> "Quota has exceeded : " + path;
            default -> keeperMessage(code, path);
        };
    }
}
