package dev.meerkat.server.storage;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Looks at and damages segment files the way a disk or a crash would, for the corruption tests. */
final class LogFiles {
    private LogFiles() {
    }

    static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("log.")).sorted().toList();
        }
    }

    /** The byte offset of every record in a well-formed segment. */
    static List<Long> recordOffsets(Path segment) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(segment));
        List<Long> out = new ArrayList<>();
        int p = Segments.HEADER_BYTES;
        while (p + 4 <= b.limit() && b.getInt(p) != 0) {
            out.add((long) p);
            p += Segments.RECORD_OVERHEAD + b.getInt(p);
        }
        return out;
    }

    /** The offset just after the last record. */
    static long recordsEnd(Path segment) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(segment));
        int p = Segments.HEADER_BYTES;
        while (p + 4 <= b.limit() && b.getInt(p) != 0) {
            p += Segments.RECORD_OVERHEAD + b.getInt(p);
        }
        return p;
    }

    static void flipBit(Path file, long offset, int bit) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ (1 << bit));
        }
    }

    static void overwrite(Path file, long offset, byte[] bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            f.write(bytes);
        }
    }

    static void truncate(Path file, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }

    static byte[] header(int magic, int version, long prevZxid) {
        return ByteBuffer.allocate(Segments.HEADER_BYTES).putInt(magic).putInt(version).putLong(0)
                .putLong(prevZxid).array();
    }
}
