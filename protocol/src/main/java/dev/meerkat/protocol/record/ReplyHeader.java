package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/**
 * The header of every server frame after the handshake. {@code zxid} is the server's last
 * processed zxid; a non-zero {@code err} means no body follows (except for multi).
 */
public record ReplyHeader(int xid, long zxid, int err) implements Record {

    public static ReplyHeader read(JuteInput in) throws JuteException {
        return new ReplyHeader(in.readInt(), in.readLong(), in.readInt());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(xid);
        out.writeLong(zxid);
        out.writeInt(err);
    }
}
