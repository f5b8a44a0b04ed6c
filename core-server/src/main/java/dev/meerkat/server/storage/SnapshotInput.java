package dev.meerkat.server.storage;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Reads a snapshot file through a large buffer and keeps a CRC32C of every byte consumed, so the
 * checksum costs one bulk update per refill instead of a call per field. Lengths read from the
 * file are checked against what is left of it, so a flipped bit in a length is reported as
 * corruption instead of an attempt to allocate gigabytes.
 */
final class SnapshotInput implements Closeable {

    private static final int BUFFER = 1 << 20;

    private final Path file;
    private final FileChannel channel;
    private final long size;
    private final ByteBuffer buf;
    private final CRC32C crc = new CRC32C();
    /** Bytes of the file that came before the buffer's first byte. */
    private long bufferStart;
    /** Position in the buffer up to which the CRC has been updated. */
    private int crcMark;

    SnapshotInput(Path file) throws IOException {
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.size = channel.size();
        // Never smaller than the widest field, never larger than the file needs.
        this.buf = ByteBuffer.allocate((int) Math.max(16, Math.min(BUFFER, size)));
        buf.limit(0);
    }

    long size() {
        return size;
    }

    /** Bytes consumed so far. */
    long position() {
        return bufferStart + buf.position();
    }

    long remaining() {
        return size - position();
    }

    /** The CRC32C of every byte consumed so far. */
    int crc() {
        updateCrc();
        return (int) crc.getValue();
    }

    /** The last four bytes of the file as an int, without moving. */
    int tailInt() throws IOException {
        ByteBuffer tail = ByteBuffer.allocate(4);
        long at = size - 4;
        while (tail.hasRemaining()) {
            int n = channel.read(tail, at + tail.position());
            if (n < 0) {
                throw new EOFException(file + " shrank while being read");
            }
        }
        return tail.getInt(0);
    }

    byte readByte() throws IOException {
        ensure(1);
        return buf.get();
    }

    int readInt() throws IOException {
        ensure(4);
        return buf.getInt();
    }

    long readLong() throws IOException {
        ensure(8);
        return buf.getLong();
    }

    /** A length-prefixed buffer; -1 means null. */
    byte[] readBuffer(String what) throws IOException, SnapshotCorruptException {
        int length = readInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > remaining()) {
            throw new SnapshotCorruptException(file, "bad length " + length + " of " + what + " at offset "
                    + (position() - 4) + " (" + remaining() + " bytes left)");
        }
        byte[] out = new byte[length];
        int done = 0;
        while (done < length) {
            ensure(1);
            int n = Math.min(length - done, buf.remaining());
            buf.get(out, done, n);
            done += n;
        }
        return out;
    }

    String readString(String what) throws IOException, SnapshotCorruptException {
        byte[] bytes = readBuffer(what);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** A count of items of at least {@code minItemSize} bytes each, checked against the bytes left. */
    int readCount(String what, int minItemSize) throws IOException, SnapshotCorruptException {
        int count = readInt();
        if (count < 0 || (long) count * minItemSize > remaining()) {
            throw new SnapshotCorruptException(file, "bad " + what + " count " + count + " at offset "
                    + (position() - 4));
        }
        return count;
    }

    private void ensure(int n) throws IOException {
        if (buf.remaining() >= n) {
            return;
        }
        updateCrc();
        bufferStart += buf.position();
        buf.compact();
        crcMark = 0;
        while (buf.position() < n) {
            if (channel.read(buf) < 0) {
                buf.flip();
                throw new EOFException("end of " + file + " at offset " + (bufferStart + buf.limit()));
            }
        }
        buf.flip();
    }

    private void updateCrc() {
        int upTo = buf.position();
        if (upTo > crcMark) {
            crc.update(buf.array(), crcMark, upTo - crcMark);
            crcMark = upTo;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
