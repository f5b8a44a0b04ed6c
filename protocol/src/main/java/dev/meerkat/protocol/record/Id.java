package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/** An identity: a scheme and an id in that scheme's format. */
public record Id(String scheme, String id) implements Record {
    public static final Id ANYONE = new Id("world", "anyone");

    public static Id read(JuteInput in) throws JuteException {
        return new Id(in.readString(), in.readString());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(scheme);
        out.writeString(id);
    }
}
