package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

import java.util.List;

/** Reply of getACL: the node's ACL and its Stat. */
public record GetACLResponse(List<ACL> acl, Stat stat) implements Record {

    public static GetACLResponse read(JuteInput in) throws JuteException {
        return new GetACLResponse(in.readVector(ACL::read), Stat.read(in));
    }

    @Override
    public void write(JuteOutput out) {
        out.writeRecordVector(acl);
        stat.write(out);
    }
}
