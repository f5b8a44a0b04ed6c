package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/**
 * A bare error code: the body of a failed multi result, and the mandatory body of a successful
 * addWatch (err 0).
 */
public record ErrorResponse(int err) implements Record {

    public static ErrorResponse read(JuteInput in) throws JuteException {
        return new ErrorResponse(in.readInt());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(err);
    }
}
