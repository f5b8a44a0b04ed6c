package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/** Reply of sync: the request's path, echoed. The client needs the body. */
public record SyncResponse(String path) implements Record {

    public static SyncResponse read(JuteInput in) throws JuteException {
        return new SyncResponse(in.readString());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
    }
}
