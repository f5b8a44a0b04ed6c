package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/** Reply of create (1): the actual path, including any sequence suffix. */
public record CreateResponse(String path) implements Record {

    public static CreateResponse read(JuteInput in) throws JuteException {
        return new CreateResponse(in.readString());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
    }
}
