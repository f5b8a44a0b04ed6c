package dev.meerkat.protocol.jute;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads ZooKeeper's jute binary encoding from a buffer. Every length read from the wire is checked
 * against {@code maxFieldLength} and against the bytes actually left, so a hostile length can
 * neither allocate a huge array nor read past the frame.
 */
public final class JuteInput {
    /** A reader of one jute record, used for vectors of records. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(JuteInput in) throws JuteException;
    }

    private final ByteBuf buf;
    private final int maxFieldLength;

    public JuteInput(ByteBuf buf, int maxFieldLength) {
        this.buf = buf;
        this.maxFieldLength = maxFieldLength;
    }

    /** A reader whose field limit is the default jute.maxbuffer plus its default extra size. */
    public JuteInput(ByteBuf buf) {
        this(buf, 2 * Jute.DEFAULT_MAX_BUFFER);
    }

    public ByteBuf buffer() {
        return buf;
    }

    public boolean hasRemaining() {
        return buf.isReadable();
    }

    public int remaining() {
        return buf.readableBytes();
    }

    private void need(int n, String what) throws JuteException {
        if (buf.readableBytes() < n) {
            throw new JuteException("truncated record: " + what + " needs " + n + " bytes, "
                    + buf.readableBytes() + " left");
        }
    }

    public byte readByte() throws JuteException {
        need(1, "byte");
        return buf.readByte();
    }

    public boolean readBool() throws JuteException {
        need(1, "boolean");
        return buf.readByte() != 0;
    }

    public int readInt() throws JuteException {
        need(4, "int");
        return buf.readInt();
    }

    public long readLong() throws JuteException {
        need(8, "long");
        return buf.readLong();
    }

    private int readLength(String what) throws JuteException {
        int len = readInt();
        if (len < -1 || len > maxFieldLength) {
            throw new JuteException("Unreasonable length " + len + " for " + what);
        }
        if (len > 0) {
            need(len, what);
        }
        return len;
    }

    /** A buffer field; -1 on the wire is null. */
    public byte[] readBuffer() throws JuteException {
        int len = readLength("buffer");
        if (len < 0) {
            return null;
        }
        byte[] out = new byte[len];
        buf.readBytes(out);
        return out;
    }

    /** A ustring field; -1 on the wire is null. */
    public String readString() throws JuteException {
        int len = readLength("ustring");
        if (len < 0) {
            return null;
        }
        String s = buf.toString(buf.readerIndex(), len, StandardCharsets.UTF_8);
        buf.skipBytes(len);
        return s;
    }

    /** A vector; -1 on the wire is null. */
    public <T> List<T> readVector(Reader<T> reader) throws JuteException {
        int count = readInt();
        if (count < -1) {
            throw new JuteException("Unreasonable vector count " + count);
        }
        if (count < 0) {
            return null;
        }
        // every element takes at least one byte, so a count beyond the bytes left is a lie
        need(count, "vector of " + count);
        List<T> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(reader.read(this));
        }
        return out;
    }

    public List<String> readStringVector() throws JuteException {
        return readVector(JuteInput::readString);
    }
}
