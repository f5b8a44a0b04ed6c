package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/** delete (2); version -1 matches any version. */
public record DeleteRequest(String path, int version) implements Record {

    public static DeleteRequest read(JuteInput in) throws JuteException {
        return new DeleteRequest(in.readString(), in.readInt());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeInt(version);
    }
}
