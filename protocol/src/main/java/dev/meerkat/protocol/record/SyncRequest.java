package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/** sync (9). */
public record SyncRequest(String path) implements Record {

    public static SyncRequest read(JuteInput in) throws JuteException {
        return new SyncRequest(in.readString());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
    }
}
