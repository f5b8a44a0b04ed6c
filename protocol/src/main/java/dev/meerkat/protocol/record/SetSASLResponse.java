package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/** Reply of sasl: the server's SASL challenge. */
public record SetSASLResponse(byte[] token) implements Record {

    public static SetSASLResponse read(JuteInput in) throws JuteException {
        return new SetSASLResponse(in.readBuffer());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeBuffer(token);
    }
}
