package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/**
 * The body of the server's first frame (no ReplyHeader). The readOnly byte is sent only when the
 * client's ConnectRequest carried one (37 bytes with it, 36 without); timeOut 0 tells the client
 * its session has expired. Like {@link ConnectRequest#read}, {@link #read} needs an input that ends
 * where the frame ends.
 */
public record ConnectResponse(int protocolVersion, int timeOut, long sessionId, byte[] passwd,
                              boolean readOnly, boolean readOnlyPresent)
        implements Record {

    public static ConnectResponse read(JuteInput in) throws JuteException {
        int protocolVersion = in.readInt();
        int timeOut = in.readInt();
        long sessionId = in.readLong();
        byte[] passwd = in.readBuffer();
        boolean present = in.hasRemaining();
        boolean readOnly = present && in.readBool();
        return new ConnectResponse(protocolVersion, timeOut, sessionId, passwd, readOnly, present);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(protocolVersion);
        out.writeInt(timeOut);
        out.writeLong(sessionId);
        out.writeBuffer(passwd);
        if (readOnlyPresent) {
            out.writeBool(readOnly);
        }
    }
}
