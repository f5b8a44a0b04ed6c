package dev.meerkat.protocol;

import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * ZooKeeper's framing: a 4-byte big-endian length that does not count itself, then that many
 * bytes. Kept free of channel handlers so both the server and the client can use it.
 */
public final class FrameCodec {
    public static final int HEADER = 4;

    private FrameCodec() {
    }

    /** One frame holding {@code records} back to back (e.g. a ReplyHeader and a response). */
    public static ByteBuf encode(ByteBufAllocator alloc, Record... records) {
        ByteBuf buf = alloc.buffer();
        boolean done = false;
        try {
            int start = buf.writerIndex();
            buf.writeInt(0);
            JuteOutput out = new JuteOutput(buf);
            for (Record r : records) {
                r.write(out);
            }
            buf.setInt(start, buf.writerIndex() - start - HEADER);
            done = true;
            return buf;
        } finally {
            if (!done) {
                buf.release();
            }
        }
    }

    /**
     * The length prefix of the next frame without consuming it, or -1 if the prefix itself has
     * not fully arrived. The value is as sent, so callers must still reject negative or oversized
     * lengths.
     */
    public static int frameLength(ByteBuf in) {
        return in.readableBytes() < HEADER ? -1 : in.getInt(in.readerIndex());
    }
}
