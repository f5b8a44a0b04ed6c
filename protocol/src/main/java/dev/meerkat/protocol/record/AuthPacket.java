package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/** addAuthInfo (op 100). The client always sends type 0 and the server ignores it. */
public record AuthPacket(int type, String scheme, byte[] auth) implements Record {

    public static AuthPacket read(JuteInput in) throws JuteException {
        return new AuthPacket(in.readInt(), in.readString(), in.readBuffer());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(type);
        out.writeString(scheme);
        out.writeBuffer(auth);
    }
}
