package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/** getChildren (8), also used inside multiRead. */
public record GetChildrenRequest(String path, boolean watch) implements Record {

    public static GetChildrenRequest read(JuteInput in) throws JuteException {
        return new GetChildrenRequest(in.readString(), in.readBool());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeBool(watch);
    }
}
