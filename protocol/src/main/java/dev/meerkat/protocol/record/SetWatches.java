package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

import java.util.List;

/**
 * setWatches (101): the watches a client re-registers after reconnecting, relative to the last
 * zxid it saw.
 */
public record SetWatches(long relativeZxid, List<String> dataWatches, List<String> existWatches,
                         List<String> childWatches)
        implements Record {

    public static SetWatches read(JuteInput in) throws JuteException {
        return new SetWatches(in.readLong(), in.readStringVector(), in.readStringVector(),
                in.readStringVector());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeLong(relativeZxid);
        out.writeStringVector(dataWatches);
        out.writeStringVector(existWatches);
        out.writeStringVector(childWatches);
    }
}
