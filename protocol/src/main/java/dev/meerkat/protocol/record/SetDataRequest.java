package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/** setData (5); version -1 matches any version. */
public record SetDataRequest(String path, byte[] data, int version) implements Record {

    public static SetDataRequest read(JuteInput in) throws JuteException {
        return new SetDataRequest(in.readString(), in.readBuffer(), in.readInt());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeBuffer(data);
        out.writeInt(version);
    }
}
