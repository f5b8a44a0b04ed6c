package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/** Reply of create2, createContainer and createTTL: the actual path and the new node's Stat. */
public record Create2Response(String path, Stat stat) implements Record {

    public static Create2Response read(JuteInput in) throws JuteException {
        return new Create2Response(in.readString(), Stat.read(in));
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        stat.write(out);
    }
}
