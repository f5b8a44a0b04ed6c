package dev.meerkat.protocol.jute;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Constants and small helpers of the jute encoding. */
public final class Jute {
    /** ZooKeeper's default jute.maxbuffer: the largest frame a server accepts. */
    public static final int DEFAULT_MAX_BUFFER = 0xfffff;

    private Jute() {
    }

    /** Serializes records one after another into a new array (used by tests and tools). */
    public static byte[] toBytes(Record... records) {
        ByteBuf buf = Unpooled.buffer();
        try {
            JuteOutput out = new JuteOutput(buf);
            for (Record r : records) {
                r.write(out);
            }
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    /** Decodes one record from the whole of {@code bytes}. */
    public static <T> T fromBytes(byte[] bytes, JuteInput.Reader<T> reader) throws JuteException {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            return reader.read(new JuteInput(buf));
        } finally {
            buf.release();
        }
    }
}
