package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/** sasl (102): a SASL token from the client. */
public record GetSASLRequest(byte[] token) implements Record {

    public static GetSASLRequest read(JuteInput in) throws JuteException {
        return new GetSASLRequest(in.readBuffer());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeBuffer(token);
    }
}
