package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/**
 * The body of a client's first frame (no RequestHeader). The trailing readOnly byte is optional:
 * old clients omit it, and the server must then omit it from its ConnectResponse as well, so
 * {@code readOnlyPresent} records whether it was on the wire. Because presence is judged by whether
 * any bytes remain, {@link #read} must be given an input that ends where the frame ends.
 */
public record ConnectRequest(int protocolVersion, long lastZxidSeen, int timeOut, long sessionId,
                             byte[] passwd, boolean readOnly, boolean readOnlyPresent)
        implements Record {

    public static ConnectRequest read(JuteInput in) throws JuteException {
        int protocolVersion = in.readInt();
        long lastZxidSeen = in.readLong();
        int timeOut = in.readInt();
        long sessionId = in.readLong();
        byte[] passwd = in.readBuffer();
        boolean present = in.hasRemaining();
        boolean readOnly = present && in.readBool();
        return new ConnectRequest(protocolVersion, lastZxidSeen, timeOut, sessionId, passwd, readOnly,
                present);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(protocolVersion);
        out.writeLong(lastZxidSeen);
        out.writeInt(timeOut);
        out.writeLong(sessionId);
        out.writeBuffer(passwd);
        if (readOnlyPresent) {
            out.writeBool(readOnly);
        }
    }
}
