package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

import java.util.List;

/** Reply of getEphemerals: full paths. */
public record GetEphemeralsResponse(List<String> ephemerals) implements Record {

    public static GetEphemeralsResponse read(JuteInput in) throws JuteException {
        return new GetEphemeralsResponse(in.readStringVector());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeStringVector(ephemerals);
    }
}
