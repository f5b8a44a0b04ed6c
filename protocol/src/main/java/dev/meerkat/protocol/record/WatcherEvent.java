package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/**
 * The body of a watch notification (xid -1): an {@link dev.meerkat.protocol.EventType}, a {@link
 * dev.meerkat.protocol.KeeperState} and the full server path.
 */
public record WatcherEvent(int type, int state, String path) implements Record {

    public static WatcherEvent read(JuteInput in) throws JuteException {
        return new WatcherEvent(in.readInt(), in.readInt(), in.readString());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(type);
        out.writeInt(state);
        out.writeString(path);
    }
}
