package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

import java.util.List;

/** Reply of whoAmI (107): one entry per identity of the connection. */
public record WhoAmIResponse(List<ClientInfo> clientInfo) implements Record {

    public static WhoAmIResponse read(JuteInput in) throws JuteException {
        return new WhoAmIResponse(in.readVector(ClientInfo::read));
    }

    @Override
    public void write(JuteOutput out) {
        out.writeRecordVector(clientInfo);
    }
}
