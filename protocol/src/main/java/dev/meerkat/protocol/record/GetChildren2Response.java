package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

import java.util.List;

/** Reply of getChildren2: child names and the Stat of the parent. */
public record GetChildren2Response(List<String> children, Stat stat) implements Record {

    public static GetChildren2Response read(JuteInput in) throws JuteException {
        return new GetChildren2Response(in.readStringVector(), Stat.read(in));
    }

    @Override
    public void write(JuteOutput out) {
        out.writeStringVector(children);
        stat.write(out);
    }
}
