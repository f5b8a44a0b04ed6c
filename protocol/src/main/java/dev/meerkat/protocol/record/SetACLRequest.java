package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

import java.util.List;

/** setACL (7); version is matched against the node's aversion. */
public record SetACLRequest(String path, List<ACL> acl, int version) implements Record {

    public static SetACLRequest read(JuteInput in) throws JuteException {
        return new SetACLRequest(in.readString(), in.readVector(ACL::read), in.readInt());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeRecordVector(acl);
        out.writeInt(version);
    }
}
