package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/** getData (4), also used inside multiRead. */
public record GetDataRequest(String path, boolean watch) implements Record {

    public static GetDataRequest read(JuteInput in) throws JuteException {
        return new GetDataRequest(in.readString(), in.readBool());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeBool(watch);
    }
}
