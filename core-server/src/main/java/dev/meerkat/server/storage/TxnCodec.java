package dev.meerkat.server.storage;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.server.txn.CheckVersionTxn;
import dev.meerkat.server.txn.CloseSessionTxn;
import dev.meerkat.server.txn.CreateSessionTxn;
import dev.meerkat.server.txn.CreateTxn;
import dev.meerkat.server.txn.DeleteTxn;
import dev.meerkat.server.txn.ErrorTxn;
import dev.meerkat.server.txn.MultiTxn;
import dev.meerkat.server.txn.SetACLTxn;
import dev.meerkat.server.txn.SetDataTxn;
import dev.meerkat.server.txn.Txn;
import dev.meerkat.server.txn.TxnHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of a logged txn: the payload of one {@link TxnLog} record.
 *
 * <pre>
 * entry  = header txn
 * header = long sessionId, int cxid, long zxid, long time, int type       (32 bytes)
 * txn    = byte tag, body
 *   1 create         ustring path, buffer data, vector&lt;ACL&gt; acl, long ephemeralOwner
 *   2 delete         ustring path
 *   3 setData        ustring path, buffer data, int version
 *   4 setACL         ustring path, vector&lt;ACL&gt; acl, int version
 *   5 checkVersion   ustring path, int version
 *   6 createSession  int timeOut, buffer passwd
 *   7 closeSession   (no body)
 *   8 multi          int count, count &times; txn        (nests, at most {@value #MAX_MULTI_DEPTH} deep)
 *   9 error          int err
 * ACL = int perms, ustring scheme, ustring id
 * </pre>
 *
 * Integers are big-endian; ustring and buffer are jute's (int length, bytes; -1 is null). The
 * encoding has one form per value, so equal txns give equal bytes. Tags are part of the on-disk
 * format: never renumber them, only add.
 */
public final class TxnCodec {
    static final byte CREATE = 1;
    static final byte DELETE = 2;
    static final byte SET_DATA = 3;
    static final byte SET_ACL = 4;
    static final byte CHECK_VERSION = 5;
    static final byte CREATE_SESSION = 6;
    static final byte CLOSE_SESSION = 7;
    static final byte MULTI = 8;
    static final byte ERROR = 9;

    /** Header plus the smallest txn (a tag with no body). */
    public static final int MIN_ENCODED_BYTES = 32 + 1;

    /** Bounds recursion, so that a hostile or damaged payload cannot overflow the stack. */
    public static final int MAX_MULTI_DEPTH = 16;

    /** Where the zxid sits in an encoded entry: after sessionId (8) and cxid (4). */
    static final int ZXID_OFFSET = 12;
    /** Where the outermost tag sits in an encoded entry. */
    static final int TAG_OFFSET = 32;

    private TxnCodec() {
    }

    public static byte[] encode(TxnHeader h, Txn t) {
        ByteBuf buf = Unpooled.buffer(128);
        try {
            JuteOutput out = new JuteOutput(buf);
            out.writeLong(h.sessionId());
            out.writeInt(h.cxid());
            out.writeLong(h.zxid());
            out.writeLong(h.time());
            out.writeInt(h.type());
            writeTxn(out, t, 1);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    /** Decodes exactly the whole array; trailing bytes are an error, not ignored. */
    public static Entry decode(byte[] bytes) throws JuteException {
        return decode(Unpooled.wrappedBuffer(bytes));
    }

    /** Decodes every readable byte of {@code buf} (which the log hands in as a view of the file). */
    static Entry decode(ByteBuf buf) throws JuteException {
        // No field can be longer than the entry that holds it; the length checks of JuteInput then
        // reject a damaged length before anything is allocated for it.
        JuteInput in = new JuteInput(buf, buf.readableBytes());
        TxnHeader h = new TxnHeader(in.readLong(), in.readInt(), in.readLong(), in.readLong(), in.readInt());
        Txn t = readTxn(in, 1);
        if (in.hasRemaining()) {
            throw new JuteException(in.remaining() + " bytes after the end of the txn");
        }
        return new Entry(h, t);
    }

    private static void writeTxn(JuteOutput out, Txn t, int depth) {
        if (t instanceof CreateTxn c) {
            out.writeByte(CREATE);
            out.writeString(c.path());
            out.writeBuffer(c.data());
            writeAcl(out, c.acl());
            out.writeLong(c.ephemeralOwner());
        } else if (t instanceof DeleteTxn d) {
            out.writeByte(DELETE);
            out.writeString(d.path());
        } else if (t instanceof SetDataTxn s) {
            out.writeByte(SET_DATA);
            out.writeString(s.path());
            out.writeBuffer(s.data());
            out.writeInt(s.version());
        } else if (t instanceof SetACLTxn s) {
            out.writeByte(SET_ACL);
            out.writeString(s.path());
            writeAcl(out, s.acl());
            out.writeInt(s.version());
        } else if (t instanceof CheckVersionTxn c) {
            out.writeByte(CHECK_VERSION);
            out.writeString(c.path());
            out.writeInt(c.version());
        } else if (t instanceof CreateSessionTxn c) {
            out.writeByte(CREATE_SESSION);
            out.writeInt(c.timeOut());
            out.writeBuffer(c.passwd());
        } else if (t instanceof CloseSessionTxn) {
            out.writeByte(CLOSE_SESSION);
        } else if (t instanceof MultiTxn m) {
            // Refusing here, not only when reading, keeps the log free of entries it could not replay.
            if (depth > MAX_MULTI_DEPTH) {
                throw new IllegalArgumentException("multi nested deeper than " + MAX_MULTI_DEPTH);
            }
            out.writeByte(MULTI);
            out.writeInt(m.txns().size());
            for (Txn sub : m.txns()) {
                writeTxn(out, sub, depth + 1);
            }
        } else if (t instanceof ErrorTxn e) {
            out.writeByte(ERROR);
            out.writeInt(e.err());
        } else {
            throw new IllegalArgumentException("no log encoding for " + t);
        }
    }

    private static void writeAcl(JuteOutput out, List<ACL> acl) {
        out.writeVector(acl, (o, a) -> a.write(o));
    }

    private static Txn readTxn(JuteInput in, int depth) throws JuteException {
        byte tag = in.readByte();
        try {
            return switch (tag) {
                case CREATE -> new CreateTxn(in.readString(), in.readBuffer(), readAcl(in), in.readLong());
                case DELETE -> new DeleteTxn(in.readString());
                case SET_DATA -> new SetDataTxn(in.readString(), in.readBuffer(), in.readInt());
                case SET_ACL -> new SetACLTxn(in.readString(), readAcl(in), in.readInt());
                case CHECK_VERSION -> new CheckVersionTxn(in.readString(), in.readInt());
                case CREATE_SESSION -> new CreateSessionTxn(in.readInt(), in.readBuffer());
                case CLOSE_SESSION -> new CloseSessionTxn();
                case MULTI -> readMulti(in, depth);
                case ERROR -> new ErrorTxn(in.readInt());
                default -> throw new JuteException("unknown txn tag " + tag);
            };
        } catch (NullPointerException e) {
            // The txn records refuse null paths and ACL lists; on disk that is damage, not a bug.
            throw new JuteException("null where a txn needs a value (tag " + tag + "): " + e.getMessage());
        }
    }

    private static MultiTxn readMulti(JuteInput in, int depth) throws JuteException {
        if (depth > MAX_MULTI_DEPTH) {
            throw new JuteException("multi nested deeper than " + MAX_MULTI_DEPTH);
        }
        int count = in.readInt();
        // each sub-txn takes at least its tag byte, so a count beyond the bytes left is damage
        if (count < 0 || count > in.remaining()) {
            throw new JuteException("Unreasonable multi count " + count);
        }
        List<Txn> txns = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            txns.add(readTxn(in, depth + 1));
        }
        return new MultiTxn(txns);
    }

    private static List<ACL> readAcl(JuteInput in) throws JuteException {
        return in.readVector(ACL::read);
    }
}
