package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/** getEphemerals (103). A null, empty or {@code /} prefix means all of the session's ephemerals. */
public record GetEphemeralsRequest(String prefixPath) implements Record {

    public static GetEphemeralsRequest read(JuteInput in) throws JuteException {
        return new GetEphemeralsRequest(in.readString());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(prefixPath);
    }
}
