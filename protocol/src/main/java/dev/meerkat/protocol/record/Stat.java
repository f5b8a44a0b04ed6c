package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

/** A znode's metadata as clients see it (68 bytes on the wire). */
public record Stat(long czxid, long mzxid, long ctime, long mtime, int version, int cversion,
                   int aversion, long ephemeralOwner, int dataLength, int numChildren, long pzxid)
        implements Record {

    public static Stat read(JuteInput in) throws JuteException {
        return new Stat(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readInt(),
                in.readInt(), in.readInt(), in.readLong(), in.readInt(), in.readInt(), in.readLong());
    }

    @Override
    public void write(JuteOutput out) {
        out.writeLong(czxid);
        out.writeLong(mzxid);
        out.writeLong(ctime);
        out.writeLong(mtime);
        out.writeInt(version);
        out.writeInt(cversion);
        out.writeInt(aversion);
        out.writeLong(ephemeralOwner);
        out.writeInt(dataLength);
        out.writeInt(numChildren);
        out.writeLong(pzxid);
    }
}
