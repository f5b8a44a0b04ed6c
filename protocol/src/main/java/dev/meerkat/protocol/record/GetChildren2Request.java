package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/** getChildren2 (12), which Curator and the three-argument Java getChildren always use. */
public record GetChildren2Request(String path, boolean watch) implements Record {

    public static GetChildren2Request read(JuteInput in) throws JuteException {
        return new GetChildren2Request(in.readString(), in.readBool());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeBool(watch);
    }
}
