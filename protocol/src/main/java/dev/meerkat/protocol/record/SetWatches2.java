package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

import java.util.List;

/** setWatches2 (105): SetWatches plus persistent and persistent-recursive watches. */
public record SetWatches2(long relativeZxid, List<String> dataWatches, List<String> existWatches,
                          List<String> childWatches, List<String> persistentWatches,
                          List<String> persistentRecursiveWatches)
        implements Record {

    public static SetWatches2 read(JuteInput in) throws JuteException {
        return new SetWatches2(in.readLong(), in.readStringVector(), in.readStringVector(),
                in.readStringVector(), in.readStringVector(), in.readStringVector());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeLong(relativeZxid);
        out.writeStringVector(dataWatches);
        out.writeStringVector(existWatches);
        out.writeStringVector(childWatches);
        out.writeStringVector(persistentWatches);
        out.writeStringVector(persistentRecursiveWatches);
    }
}
