package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/** Reply of setACL: the node's new Stat. */
public record SetACLResponse(Stat stat) implements Record {

    public static SetACLResponse read(JuteInput in) throws JuteException {
        return new SetACLResponse(Stat.read(in));
    }

    @Override
    public void write(JuteOutput out) {
        stat.write(out);
    }
}
