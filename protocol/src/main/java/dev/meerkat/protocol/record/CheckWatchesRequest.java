package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/** checkWatches (17); type is a {@link dev.meerkat.protocol.WatcherType}. */
public record CheckWatchesRequest(String path, int type) implements Record {

    public static CheckWatchesRequest read(JuteInput in) throws JuteException {
        return new CheckWatchesRequest(in.readString(), in.readInt());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeInt(type);
    }
}
