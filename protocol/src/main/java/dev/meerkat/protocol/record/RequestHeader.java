package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/**
 * The header of every client frame after the handshake: the xid echoed in the reply and the op
 * code.
 */
public record RequestHeader(int xid, int type) implements Record {

    public static RequestHeader read(JuteInput in) throws JuteException {
        return new RequestHeader(in.readInt(), in.readInt());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(xid);
        out.writeInt(type);
    }
}
