package dev.meerkat.protocol.record;

import dev.meerkat.protocol.Perms;
import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

import java.util.List;

/** One ACL entry: the permissions granted to an identity. */
public record ACL(int perms, Id id) implements Record {
    public static final List<ACL> OPEN_ACL_UNSAFE = List.of(new ACL(Perms.ALL, Id.ANYONE));
    public static final List<ACL> READ_ACL_UNSAFE = List.of(new ACL(Perms.READ, Id.ANYONE));
    public static final List<ACL> CREATOR_ALL_ACL = List.of(new ACL(Perms.ALL, new Id("auth", "")));

    public static ACL read(JuteInput in) throws JuteException {
        return new ACL(in.readInt(), Id.read(in));
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(perms);
        id.write(out);
    }
}
