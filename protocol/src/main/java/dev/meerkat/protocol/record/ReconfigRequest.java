package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/** reconfig (16). */
public record ReconfigRequest(String joiningServers, String leavingServers, String newMembers,
                              long curConfigId)
        implements Record {

    public static ReconfigRequest read(JuteInput in) throws JuteException {
        return new ReconfigRequest(in.readString(), in.readString(), in.readString(), in.readLong());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(joiningServers);
        out.writeString(leavingServers);
        out.writeString(newMembers);
        out.writeLong(curConfigId);
    }
}
