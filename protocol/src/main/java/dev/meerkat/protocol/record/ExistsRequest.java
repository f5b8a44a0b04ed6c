package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/** exists (3). */
public record ExistsRequest(String path, boolean watch) implements Record {

    public static ExistsRequest read(JuteInput in) throws JuteException {
        return new ExistsRequest(in.readString(), in.readBool());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeBool(watch);
    }
}
