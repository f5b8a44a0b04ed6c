package dev.meerkat.protocol.jute;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.util.List;

/** Writes ZooKeeper's jute binary encoding into a buffer. */
public final class JuteOutput {
    /** A writer of one element of a vector. */
    @FunctionalInterface
    public interface Writer<T> {
        void write(JuteOutput out, T value);
    }

    private final ByteBuf buf;

    public JuteOutput(ByteBuf buf) {
        this.buf = buf;
    }

    public ByteBuf buffer() {
        return buf;
    }

    public void writeByte(byte b) {
        buf.writeByte(b);
    }

    public void writeBool(boolean b) {
        buf.writeByte(b ? 1 : 0);
    }

    public void writeInt(int i) {
        buf.writeInt(i);
    }

    public void writeLong(long l) {
        buf.writeLong(l);
    }

    public void writeBuffer(byte[] b) {
        if (b == null) {
            buf.writeInt(-1);
        } else {
            buf.writeInt(b.length);
            buf.writeBytes(b);
        }
    }

    public void writeString(String s) {
        if (s == null) {
            buf.writeInt(-1);
            return;
        }
        int lengthAt = buf.writerIndex();
        buf.writeInt(0);
        int written = ByteBufUtil.writeUtf8(buf, s);
        buf.setInt(lengthAt, written);
    }

    public <T> void writeVector(List<T> items, Writer<T> writer) {
        if (items == null) {
            buf.writeInt(-1);
            return;
        }
        buf.writeInt(items.size());
        for (T item : items) {
            writer.write(this, item);
        }
    }

    public void writeStringVector(List<String> items) {
        writeVector(items, JuteOutput::writeString);
    }

    public void writeRecord(Record r) {
        r.write(this);
    }

    public <T extends Record> void writeRecordVector(List<T> items) {
        writeVector(items, (out, r) -> r.write(out));
    }
}
