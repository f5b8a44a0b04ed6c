package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/** getAllChildrenNumber (104). */
public record GetAllChildrenNumberRequest(String path) implements Record {

    public static GetAllChildrenNumberRequest read(JuteInput in) throws JuteException {
        return new GetAllChildrenNumberRequest(in.readString());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
    }
}
