package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/** Reply of setData: the node's new Stat. */
public record SetDataResponse(Stat stat) implements Record {

    public static SetDataResponse read(JuteInput in) throws JuteException {
        return new SetDataResponse(Stat.read(in));
    }

    @Override
    public void write(JuteOutput out) {
        stat.write(out);
    }
}
