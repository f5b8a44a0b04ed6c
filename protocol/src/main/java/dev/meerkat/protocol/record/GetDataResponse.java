package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/** Reply of getData and reconfig. Null data goes on the wire as length -1. */
public record GetDataResponse(byte[] data, Stat stat) implements Record {

    public static GetDataResponse read(JuteInput in) throws JuteException {
        return new GetDataResponse(in.readBuffer(), Stat.read(in));
    }

    @Override
    public void write(JuteOutput out) {
        out.writeBuffer(data);
        stat.write(out);
    }
}
