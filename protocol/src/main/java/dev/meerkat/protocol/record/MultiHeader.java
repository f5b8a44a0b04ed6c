package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/**
 * Precedes each op of a MultiOperationRecord and each result of a MultiResponse; {@code done}
 * marks the terminator.
 */
public record MultiHeader(int type, boolean done, int err) implements Record {

    public static MultiHeader read(JuteInput in) throws JuteException {
        return new MultiHeader(in.readInt(), in.readBool(), in.readInt());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(type);
        out.writeBool(done);
        out.writeInt(err);
    }
}
