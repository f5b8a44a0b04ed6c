package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/** addWatch (106); mode is an {@link dev.meerkat.protocol.AddWatchMode}. */
public record AddWatchRequest(String path, int mode) implements Record {

    public static AddWatchRequest read(JuteInput in) throws JuteException {
        return new AddWatchRequest(in.readString(), in.readInt());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeInt(mode);
    }
}
