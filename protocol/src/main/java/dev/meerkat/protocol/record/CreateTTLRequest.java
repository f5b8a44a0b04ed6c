package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

import java.util.List;

/** createTTL (21). A TTL mode needs {@code 0 < ttl <= 2^40-1}. */
public record CreateTTLRequest(String path, byte[] data, List<ACL> acl, int flags, long ttl)
        implements Record {

    public static CreateTTLRequest read(JuteInput in) throws JuteException {
        return new CreateTTLRequest(in.readString(), in.readBuffer(), in.readVector(ACL::read),
                in.readInt(), in.readLong());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeBuffer(data);
        out.writeRecordVector(acl);
        out.writeInt(flags);
        out.writeLong(ttl);
    }
}
