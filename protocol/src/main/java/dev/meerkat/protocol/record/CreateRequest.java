package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

import java.util.List;

/**
 * create (1), create2 (15) and createContainer (19); {@code flags} is a {@link
 * dev.meerkat.protocol.CreateMode} flag.
 */
public record CreateRequest(String path, byte[] data, List<ACL> acl, int flags) implements Record {

    public static CreateRequest read(JuteInput in) throws JuteException {
        return new CreateRequest(in.readString(), in.readBuffer(), in.readVector(ACL::read), in.readInt());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeBuffer(data);
        out.writeRecordVector(acl);
        out.writeInt(flags);
    }
}
