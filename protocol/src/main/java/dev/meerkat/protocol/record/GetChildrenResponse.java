package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

import java.util.List;

/** Reply of getChildren: child names, not full paths. */
public record GetChildrenResponse(List<String> children) implements Record {

    public static GetChildrenResponse read(JuteInput in) throws JuteException {
        return new GetChildrenResponse(in.readStringVector());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeStringVector(children);
    }
}
