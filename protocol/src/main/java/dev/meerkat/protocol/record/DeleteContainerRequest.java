package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/**
 * deleteContainer (20). ZooKeeper declares the path as a buffer, but a buffer and a ustring have
 * the same bytes.
 */
public record DeleteContainerRequest(String path) implements Record {

    public static DeleteContainerRequest read(JuteInput in) throws JuteException {
        return new DeleteContainerRequest(in.readString());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
    }
}
