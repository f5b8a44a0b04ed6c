package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/** Reply of getAllChildrenNumber: the number of all descendants. */
public record GetAllChildrenNumberResponse(int totalNumber) implements Record {

    public static GetAllChildrenNumberResponse read(JuteInput in) throws JuteException {
        return new GetAllChildrenNumberResponse(in.readInt());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(totalNumber);
    }
}
