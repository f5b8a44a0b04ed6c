package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/** One identity of a connection, as whoAmI reports it. */
public record ClientInfo(String authScheme, String user) implements Record {

    public static ClientInfo read(JuteInput in) throws JuteException {
        return new ClientInfo(in.readString(), in.readString());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeString(authScheme);
        out.writeString(user);
    }
}
