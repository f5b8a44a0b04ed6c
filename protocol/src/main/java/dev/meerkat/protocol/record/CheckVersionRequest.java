package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/** check (13), valid only inside a multi; version -1 matches any version. */
public record CheckVersionRequest(String path, int version) implements Record {

    public static CheckVersionRequest read(JuteInput in) throws JuteException {
        return new CheckVersionRequest(in.readString(), in.readInt());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeInt(version);
    }
}
