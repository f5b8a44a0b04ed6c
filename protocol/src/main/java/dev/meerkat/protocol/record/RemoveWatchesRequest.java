package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/** removeWatches (18); type is a {@link dev.meerkat.protocol.WatcherType}. */
public record RemoveWatchesRequest(String path, int type) implements Record {

    public static RemoveWatchesRequest read(JuteInput in) throws JuteException {
        return new RemoveWatchesRequest(in.readString(), in.readInt());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeInt(type);
    }
}
