package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/** getACL (6). */
public record GetACLRequest(String path) implements Record {

    public static GetACLRequest read(JuteInput in) throws JuteException {
        return new GetACLRequest(in.readString());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
    }
}
