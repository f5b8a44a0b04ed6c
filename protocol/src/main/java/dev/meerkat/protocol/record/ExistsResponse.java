package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/**
 * Reply of exists: the Stat. The Java client decodes it as a SetDataResponse, which has the same
 * layout.
 */
public record ExistsResponse(Stat stat) implements Record {

    public static ExistsResponse read(JuteInput in) throws JuteException {
        return new ExistsResponse(Stat.read(in));
    }

    @Override
    public void write(JuteOutput out) {
        stat.write(out);
    }
}
