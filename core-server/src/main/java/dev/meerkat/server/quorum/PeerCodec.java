package dev.meerkat.server.quorum;

import dev.meerkat.protocol.record.Id;
import dev.meerkat.server.zab.LogSummary;
import dev.meerkat.server.zab.Message;
import dev.meerkat.server.zab.Message.Ack;
import dev.meerkat.server.zab.Message.AckEpoch;
import dev.meerkat.server.zab.Message.Commit;
import dev.meerkat.server.zab.Message.FollowerInfo;
import dev.meerkat.server.zab.Message.Inform;
import dev.meerkat.server.zab.Message.LeaderInfo;
import dev.meerkat.server.zab.Message.NewLeader;
import dev.meerkat.server.zab.Message.Notification;
import dev.meerkat.server.zab.Message.Ping;
import dev.meerkat.server.zab.Message.PingReply;
import dev.meerkat.server.zab.Message.Propose;
import dev.meerkat.server.zab.Message.Sync;
import dev.meerkat.server.zab.Message.SyncKind;
import dev.meerkat.server.zab.Message.UpToDate;
import dev.meerkat.server.zab.Proposal;
import dev.meerkat.server.zab.Role;
import dev.meerkat.server.zab.Snapshot;
import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of one {@link PeerMessage}, the payload of one frame between servers.
 *
 * <h2>Wire layout</h2>
 * <pre>
 * frame   = int32 N (0..1 GiB), then N bytes                      (framing: PeerNetwork)
 * hello   = int32 magic 0x4D4B5052 "MKPR", int32 version 1, int32 sender myid
 *           exactly 12 bytes; the first frame of every outbound connection  (PeerNetwork)
 * message = u8 type, then that type's fields in order; nothing may follow
 *
 * int32, int64  big-endian
 * bool          u8, 0 or 1 (any other value is malformed)
 * enum          u8 ordinal (Role, SyncKind)
 * bytes         int32 length (0..bytes left), then that many bytes
 * string        bytes, well-formed UTF-8
 * list&lt;T&gt;       int32 count (0..what the bytes left can hold), then count T's
 * Proposal      int64 zxid (&gt; 0), bytes payload
 * Span          int64 first, int64 last (same epoch, first &lt;= last)
 * Id            string scheme, string id
 *
 *  type  message        fields
 *   1    Notification   int32 leader, int64 zxid, int64 peerEpoch, int64 round, enum Role state, bool voter
 *   2    FollowerInfo   int64 session, bool observer, int64 acceptedEpoch
 *   3    AckEpoch       int64 session, int64 epoch, bool counted, int64 currentEpoch, int64 lastZxid,
 *                       list&lt;Span&gt; log (at least one, epochs increasing)
 *   4    Ack            int64 session, int64 epoch, int64 zxid
 *   5    PingReply      int64 session, int64 epoch, int64 ack, int64 nextSeq
 *   6    LeaderInfo     int64 session, int64 seq, int64 epoch
 *   7    Sync           int64 session, int64 seq, enum SyncKind kind, int64 after,
 *                       bool hasSnapshot, [int64 snapshot zxid (&gt;= 0), bytes snapshot data],
 *                       list&lt;Proposal&gt; entries, int64 commitZxid
 *   8    NewLeader      int64 session, int64 seq, int64 epoch
 *   9    UpToDate       int64 session, int64 seq, int64 commitZxid
 *  10    Propose        int64 session, int64 seq, Proposal proposal
 *  11    Commit         int64 session, int64 seq, int64 zxid
 *  12    Inform         int64 session, int64 seq, Proposal proposal
 *  13    Ping           int64 session, int64 seq
 *  32    Forward        int64 sessionId, int32 cxid, int32 type, bytes body, list&lt;Id&gt; authInfo
 *  33    CreateSession  int64 sessionId, int32 timeout, bytes passwd
 *  34    Touch          list&lt;int64&gt; sessionIds
 *  35    SyncRequest    int64 sessionId, int32 cxid
 *  36    SyncReply      int64 sessionId, int32 cxid, int64 zxid
 *  37    Attached       int64 sessionId
 * </pre>
 * Types 1-13 are the ZAB core's messages, carried as {@link PeerMessage.Zab}.
 *
 * <p>Decoding trusts nothing: every length and count is checked against the bytes left before
 * anything is allocated, and every way the bytes can be wrong (truncated, trailing, unknown type,
 * out-of-range enum or bool, values the records refuse) ends in a {@link MalformedMessageException}
 * and nothing else.
 */
public final class PeerCodec {

    /** The bytes are not a message: the connection they came on should be closed. */
    public static final class MalformedMessageException extends RuntimeException {
        public MalformedMessageException(String message) {
            super(message);
        }

        public MalformedMessageException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static final int NOTIFICATION = 1;
    static final int FOLLOWER_INFO = 2;
    static final int ACK_EPOCH = 3;
    static final int ACK = 4;
    static final int PING_REPLY = 5;
    static final int LEADER_INFO = 6;
    static final int SYNC = 7;
    static final int NEW_LEADER = 8;
    static final int UP_TO_DATE = 9;
    static final int PROPOSE = 10;
    static final int COMMIT = 11;
    static final int INFORM = 12;
    static final int PING = 13;
    static final int FORWARD = 32;
    static final int CREATE_SESSION = 33;
    static final int TOUCH = 34;
    static final int SYNC_REQUEST = 35;
    static final int SYNC_REPLY = 36;
    static final int ATTACHED = 37;

    private static final Role[] ROLES = Role.values();
    private static final SyncKind[] SYNC_KINDS = SyncKind.values();

    private PeerCodec() {
    }

    // ---------------------------------------------------------------- encode

    /** Appends the encoding of {@code m} to {@code out}. Nulls inside the message are a programming error. */
    public static void encode(PeerMessage m, ByteBuf out) {
        if (m instanceof PeerMessage.Zab z) {
            encodeZab(z.message(), out);
        } else if (m instanceof PeerMessage.Forward f) {
            out.writeByte(FORWARD);
            out.writeLong(f.sessionId());
            out.writeInt(f.cxid());
            out.writeInt(f.type());
            writeBytes(f.body(), out);
            out.writeInt(f.authInfo().size());
            for (Id id : f.authInfo()) {
                writeString(id.scheme(), out);
                writeString(id.id(), out);
            }
        } else if (m instanceof PeerMessage.CreateSession c) {
            out.writeByte(CREATE_SESSION);
            out.writeLong(c.sessionId());
            out.writeInt(c.timeout());
            writeBytes(c.passwd(), out);
        } else if (m instanceof PeerMessage.Touch t) {
            out.writeByte(TOUCH);
            out.writeInt(t.sessionIds().length);
            for (long id : t.sessionIds()) {
                out.writeLong(id);
            }
        } else if (m instanceof PeerMessage.SyncRequest s) {
            out.writeByte(SYNC_REQUEST);
            out.writeLong(s.sessionId());
            out.writeInt(s.cxid());
        } else if (m instanceof PeerMessage.SyncReply s) {
            out.writeByte(SYNC_REPLY);
            out.writeLong(s.sessionId());
            out.writeInt(s.cxid());
            out.writeLong(s.zxid());
        } else if (m instanceof PeerMessage.Attached a) {
            out.writeByte(ATTACHED);
            out.writeLong(a.sessionId());
        } else {
            throw new IllegalArgumentException("no encoding for " + m);
        }
    }

    private static void encodeZab(Message m, ByteBuf out) {
        if (m instanceof Notification n) {
            out.writeByte(NOTIFICATION);
            out.writeInt(n.leader());
            out.writeLong(n.zxid());
            out.writeLong(n.peerEpoch());
            out.writeLong(n.round());
            out.writeByte(n.state().ordinal());
            out.writeBoolean(n.voter());
        } else if (m instanceof FollowerInfo f) {
            out.writeByte(FOLLOWER_INFO);
            out.writeLong(f.session());
            out.writeBoolean(f.observer());
            out.writeLong(f.acceptedEpoch());
        } else if (m instanceof AckEpoch a) {
            out.writeByte(ACK_EPOCH);
            out.writeLong(a.session());
            out.writeLong(a.epoch());
            out.writeBoolean(a.counted());
            out.writeLong(a.currentEpoch());
            out.writeLong(a.lastZxid());
            List<LogSummary.Span> spans = a.log().spans();
            out.writeInt(spans.size());
            for (LogSummary.Span s : spans) {
                out.writeLong(s.first());
                out.writeLong(s.last());
            }
        } else if (m instanceof Ack a) {
            out.writeByte(ACK);
            out.writeLong(a.session());
            out.writeLong(a.epoch());
            out.writeLong(a.zxid());
        } else if (m instanceof PingReply p) {
            out.writeByte(PING_REPLY);
            out.writeLong(p.session());
            out.writeLong(p.epoch());
            out.writeLong(p.ack());
            out.writeLong(p.nextSeq());
        } else if (m instanceof LeaderInfo l) {
            out.writeByte(LEADER_INFO);
            out.writeLong(l.session());
            out.writeLong(l.seq());
            out.writeLong(l.epoch());
        } else if (m instanceof Sync s) {
            out.writeByte(SYNC);
            out.writeLong(s.session());
            out.writeLong(s.seq());
            out.writeByte(s.kind().ordinal());
            out.writeLong(s.after());
            out.writeBoolean(s.snapshot() != null);
            if (s.snapshot() != null) {
                out.writeLong(s.snapshot().zxid());
                writeBytes(s.snapshot().data(), out);
            }
            out.writeInt(s.entries().size());
            for (Proposal p : s.entries()) {
                writeProposal(p, out);
            }
            out.writeLong(s.commitZxid());
        } else if (m instanceof NewLeader n) {
            out.writeByte(NEW_LEADER);
            out.writeLong(n.session());
            out.writeLong(n.seq());
            out.writeLong(n.epoch());
        } else if (m instanceof UpToDate u) {
            out.writeByte(UP_TO_DATE);
            out.writeLong(u.session());
            out.writeLong(u.seq());
            out.writeLong(u.commitZxid());
        } else if (m instanceof Propose p) {
            out.writeByte(PROPOSE);
            out.writeLong(p.session());
            out.writeLong(p.seq());
            writeProposal(p.proposal(), out);
        } else if (m instanceof Commit c) {
            out.writeByte(COMMIT);
            out.writeLong(c.session());
            out.writeLong(c.seq());
            out.writeLong(c.zxid());
        } else if (m instanceof Inform i) {
            out.writeByte(INFORM);
            out.writeLong(i.session());
            out.writeLong(i.seq());
            writeProposal(i.proposal(), out);
        } else if (m instanceof Ping p) {
            out.writeByte(PING);
            out.writeLong(p.session());
            out.writeLong(p.seq());
        } else {
            throw new IllegalArgumentException("no encoding for " + m);
        }
    }

    /** Roughly how many bytes {@code m} encodes to, so that a large message is allocated once. */
    static int sizeHint(PeerMessage m) {
        long size = 64;
        Message zab = m instanceof PeerMessage.Zab z ? z.message() : null;
        if (zab instanceof Sync s) {
            if (s.snapshot() != null) {
                size += s.snapshot().data().length;
            }
            for (Proposal p : s.entries()) {
                size += 12 + p.payload().length;
            }
        } else if (zab instanceof Propose p) {
            size += p.proposal().payload().length;
        } else if (zab instanceof Inform i) {
            size += i.proposal().payload().length;
        } else if (m instanceof PeerMessage.Forward f) {
            size += f.body().length + 32L * f.authInfo().size();
        } else if (m instanceof PeerMessage.Touch t) {
            size += 8L * t.sessionIds().length;
        }
        return (int) Math.min(size, Integer.MAX_VALUE - 16);
    }

    private static void writeProposal(Proposal p, ByteBuf out) {
        out.writeLong(p.zxid());
        writeBytes(p.payload(), out);
    }

    private static void writeBytes(byte[] b, ByteBuf out) {
        out.writeInt(b.length);
        out.writeBytes(b);
    }

    private static void writeString(String s, ByteBuf out) {
        writeBytes(s.getBytes(StandardCharsets.UTF_8), out);
    }

    // ---------------------------------------------------------------- decode

    /**
     * Reads one message that fills the rest of {@code in}.
     *
     * @throws MalformedMessageException if the bytes are not exactly one valid message
     */
    public static PeerMessage decode(ByteBuf in) {
        try {
            PeerMessage m = decodeMessage(in);
            if (in.isReadable()) {
                throw new MalformedMessageException(in.readableBytes() + " bytes after a "
                        + m.getClass().getSimpleName());
            }
            return m;
        } catch (IllegalArgumentException e) {
            // The records' own checks: a zxid of 0 in a Proposal, spans out of order, and so on.
            throw new MalformedMessageException("invalid field: " + e.getMessage(), e);
        } catch (IndexOutOfBoundsException e) {
            // Every read is checked first; this is a second net, not the first.
            throw new MalformedMessageException("truncated message", e);
        }
    }

    private static PeerMessage decodeMessage(ByteBuf in) {
        int type = readUnsignedByte(in, "type");
        return switch (type) {
            case NOTIFICATION -> zab(new Notification(readInt(in), readLong(in), readLong(in), readLong(in),
                    readRole(in), readBool(in)));
            case FOLLOWER_INFO -> zab(new FollowerInfo(readLong(in), readBool(in), readLong(in)));
            case ACK_EPOCH -> zab(new AckEpoch(readLong(in), readLong(in), readBool(in), readLong(in),
                    readLong(in), readLogSummary(in)));
            case ACK -> zab(new Ack(readLong(in), readLong(in), readLong(in)));
            case PING_REPLY -> zab(new PingReply(readLong(in), readLong(in), readLong(in), readLong(in)));
            case LEADER_INFO -> zab(new LeaderInfo(readLong(in), readLong(in), readLong(in)));
            case SYNC -> zab(readSync(in));
            case NEW_LEADER -> zab(new NewLeader(readLong(in), readLong(in), readLong(in)));
            case UP_TO_DATE -> zab(new UpToDate(readLong(in), readLong(in), readLong(in)));
            case PROPOSE -> zab(new Propose(readLong(in), readLong(in), readProposal(in)));
            case COMMIT -> zab(new Commit(readLong(in), readLong(in), readLong(in)));
            case INFORM -> zab(new Inform(readLong(in), readLong(in), readProposal(in)));
            case PING -> zab(new Ping(readLong(in), readLong(in)));
            case FORWARD -> {
                long sessionId = readLong(in);
                int cxid = readInt(in);
                int op = readInt(in);
                byte[] body = readBytes(in, "body");
                int n = readCount(in, 8, "authInfo");
                List<Id> authInfo = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    authInfo.add(new Id(readString(in, "scheme"), readString(in, "id")));
                }
                yield new PeerMessage.Forward(sessionId, cxid, op, body, authInfo);
            }
            case CREATE_SESSION -> new PeerMessage.CreateSession(readLong(in), readInt(in),
                    readBytes(in, "passwd"));
            case TOUCH -> {
                int n = readCount(in, 8, "sessionIds");
                long[] ids = new long[n];
                for (int i = 0; i < n; i++) {
                    ids[i] = in.readLong();
                }
                yield new PeerMessage.Touch(ids);
            }
            case SYNC_REQUEST -> new PeerMessage.SyncRequest(readLong(in), readInt(in));
            case SYNC_REPLY -> new PeerMessage.SyncReply(readLong(in), readInt(in), readLong(in));
            case ATTACHED -> new PeerMessage.Attached(readLong(in));
            default -> throw new MalformedMessageException("unknown message type " + type);
        };
    }

    private static PeerMessage zab(Message m) {
        return new PeerMessage.Zab(m);
    }

    private static Sync readSync(ByteBuf in) {
        long session = readLong(in);
        long seq = readLong(in);
        int kind = readUnsignedByte(in, "sync kind");
        if (kind >= SYNC_KINDS.length) {
            throw new MalformedMessageException("unknown sync kind " + kind);
        }
        long after = readLong(in);
        Snapshot snapshot = null;
        if (readBool(in)) {
            long zxid = readLong(in);
            snapshot = new Snapshot(zxid, readBytes(in, "snapshot"));
        }
        int n = readCount(in, 12, "entries");
        List<Proposal> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            entries.add(readProposal(in));
        }
        return new Sync(session, seq, SYNC_KINDS[kind], after, snapshot, entries, readLong(in));
    }

    private static LogSummary readLogSummary(ByteBuf in) {
        int n = readCount(in, 16, "spans");
        List<LogSummary.Span> spans = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            spans.add(new LogSummary.Span(in.readLong(), in.readLong()));
        }
        return new LogSummary(spans);
    }

    private static Proposal readProposal(ByteBuf in) {
        long zxid = readLong(in);
        return new Proposal(zxid, readBytes(in, "payload"));
    }

    private static Role readRole(ByteBuf in) {
        int r = readUnsignedByte(in, "role");
        if (r >= ROLES.length) {
            throw new MalformedMessageException("unknown role " + r);
        }
        return ROLES[r];
    }

    private static void need(ByteBuf in, long n, String what) {
        if (in.readableBytes() < n) {
            throw new MalformedMessageException("truncated message: " + what + " needs " + n + " bytes, "
                    + in.readableBytes() + " left");
        }
    }

    private static int readUnsignedByte(ByteBuf in, String what) {
        need(in, 1, what);
        return in.readUnsignedByte();
    }

    private static boolean readBool(ByteBuf in) {
        int b = readUnsignedByte(in, "bool");
        if (b > 1) {
            throw new MalformedMessageException("bool " + b);
        }
        return b == 1;
    }

    private static int readInt(ByteBuf in) {
        need(in, 4, "int");
        return in.readInt();
    }

    private static long readLong(ByteBuf in) {
        need(in, 8, "long");
        return in.readLong();
    }

    /** A count of items of at least {@code minItemSize} bytes each, all of which must fit in what is left. */
    private static int readCount(ByteBuf in, int minItemSize, String what) {
        int n = readInt(in);
        if (n < 0) {
            throw new MalformedMessageException("negative count " + n + " for " + what);
        }
        need(in, (long) n * minItemSize, what);
        return n;
    }

    private static byte[] readBytes(ByteBuf in, String what) {
        int n = readInt(in);
        if (n < 0) {
            throw new MalformedMessageException("negative length " + n + " for " + what);
        }
        need(in, n, what);
        byte[] b = new byte[n];
        in.readBytes(b);
        return b;
    }

    /** Strict UTF-8: bytes that are not would not survive a round trip, so they are refused. */
    private static String readString(ByteBuf in, String what) {
        byte[] b = readBytes(in, what);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedMessageException(what + " is not UTF-8", e);
        }
    }
}
