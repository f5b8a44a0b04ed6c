package dev.meerkat.server.storage;

import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The segment file format and the one place that reads it, shared by recovery ({@link
 * TxnLog#read}) and by the writer when it reopens a log ({@link TxnLog#open}).
 *
 * <pre>
 * segment file  log.&lt;zxid of its first record, 16 lower-case hex digits&gt;
 * header        4 bytes  magic "MKLG"
 *               int      format version (1)
 *               long     reserved (0)
 *               long     zxid of the last txn before this segment, -1 if the writer did not know
 * record        int      payload length (&gt; 0)
 *               int      CRC32C of the payload
 *               payload  {@link TxnCodec} bytes
 * end           a zero length (the preallocated, zero-filled rest of the file) or end of file
 * </pre>
 */
final class Segments {
    static final String PREFIX = "log.";
    static final int MAGIC = ('M' << 24) | ('K' << 16) | ('L' << 8) | 'G';
    static final int FORMAT_VERSION = 1;
    static final int HEADER_BYTES = 24;
    static final int PREV_ZXID_OFFSET = 16;
    static final int RECORD_OVERHEAD = 8;

    /**
     * Far above any txn the request path accepts (jute.maxbuffer is about 1 MiB), low enough that a
     * damaged length is recognised as such, and that a segment always fits one memory mapping.
     */
    static final int MAX_RECORD_BYTES = 256 << 20;

    /** A header's "previous zxid" when the writer started in an empty directory. */
    static final long NO_ZXID = -1;

    /** A scan's "previous zxid" when nothing before the segment has been read. */
    static final long UNKNOWN = Long.MIN_VALUE;

    private static final Pattern NAME = Pattern.compile("log\\.([0-9a-f]{16})");

    private Segments() {
    }

    /** A segment file and the zxid in its name. */
    record SegmentFile(Path path, long firstZxid) {
    }

    /**
     * What one segment holds.
     *
     * @param hasHeader false for a zero-length file or a header cut short (only possible in the
     *     last segment; anywhere else it is an error)
     * @param headerPrevZxid the header's previous-zxid field, or {@link #NO_ZXID}
     * @param lastZxid the zxid of the last intact record, or {@link #NO_ZXID} if there is none
     * @param goodEnd the offset just after the last intact record (0 if the header is not intact)
     * @param tornReason why the last segment stops early, or null if it ends cleanly
     * @param tailZero whether every byte from goodEnd to the end of the file is zero (computed only
     *     for the last segment, where the writer continues)
     */
    record ScanResult(SegmentFile segment, boolean hasHeader, long headerPrevZxid, int records,
            long lastZxid, long goodEnd, String tornReason, boolean tailZero, long size) {
        boolean torn() {
            return tornReason != null;
        }
    }

    static String fileName(long firstZxid) {
        return PREFIX + String.format("%016x", firstZxid);
    }

    /** The segments in {@code dir}, oldest first; other files are not ours and are left alone. */
    static List<SegmentFile> list(Path dir) throws IOException {
        List<SegmentFile> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                long zxid = Long.parseUnsignedLong(m.group(1), 16);
                if (zxid < 0) {
                    throw new CorruptLogException(p, 0, "segment name is not a valid zxid");
                }
                out.add(new SegmentFile(p, zxid));
            }
        }
        out.sort((a, b) -> Long.compare(a.firstZxid(), b.firstZxid()));
        return out;
    }

    static ByteBuffer header(long prevZxid) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES);
        b.putInt(MAGIC).putInt(FORMAT_VERSION).putLong(0).putLong(prevZxid).flip();
        return b;
    }

    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /**
     * Reads one segment, checks every record and hands those with a zxid above {@code fromZxid} to
     * {@code sink}.
     *
     * <p>A record with an intact checksum is what the writer wrote, so anything wrong with it (it
     * does not decode, its zxid is out of order, the file name disagrees) is an error wherever it
     * is. A record whose framing or checksum is broken is a torn write only if it is in the last
     * segment and no intact record follows it; then the scan stops there and says so. Anywhere else
     * it is damage to txns that may have been acknowledged, and the scan throws.
     *
     * @param last whether this is the newest segment file
     * @param nextFirstZxid the next segment's first zxid (every zxid here must be below it), or
     *     {@link Long#MAX_VALUE}
     * @param prevZxid the last zxid of the segments read before this one, or {@link #UNKNOWN}
     * @param fromZxid the zxid replay starts after; a log that starts later is missing txns
     * @param sink receives the entries above fromZxid, in order; null to only check
     */
    static ScanResult scan(SegmentFile seg, boolean last, long nextFirstZxid, long prevZxid, long fromZxid,
            Consumer<Entry> sink) throws IOException {
        Path file = seg.path();
        long size;
        MappedByteBuffer buf;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            size = ch.size();
            if (size == 0) {
                // Created but never written: fine anywhere, it holds nothing and claims nothing.
                return new ScanResult(seg, false, NO_ZXID, 0, NO_ZXID, 0, null, true, 0);
            }
            if (size > Integer.MAX_VALUE) {
                throw new CorruptLogException(file, Integer.MAX_VALUE, "segment larger than 2 GiB ("
                        + size + " bytes); the writer never makes one");
            }
            buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
        } catch (NoSuchFileException e) {
            throw new CorruptLogException(file, 0, "segment disappeared while the log was read");
        }
        return new Scanner(seg, buf, (int) size, last, nextFirstZxid, prevZxid, fromZxid, sink).run();
    }

    /**
     * The offset just after the last record with a zxid at or below {@code throughZxid} in an intact
     * segment (the header's end if there is none): where to cut it so that it ends at that zxid.
     */
    static long endThrough(SegmentFile seg, long throughZxid) throws IOException {
        long size;
        MappedByteBuffer buf;
        try (FileChannel ch = FileChannel.open(seg.path(), StandardOpenOption.READ)) {
            size = ch.size();
            if (size < HEADER_BYTES) {
                return 0;
            }
            buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
        }
        Scanner scanner = new Scanner(seg, buf, (int) size, true, Long.MAX_VALUE, UNKNOWN, Long.MAX_VALUE, null);
        scanner.stopAbove = throughZxid;
        return scanner.run().goodEnd();
    }

    private static final class Scanner {
        /** A record above this zxid ends the scan as if the segment ended before it. */
        long stopAbove = Long.MAX_VALUE;
        private final SegmentFile seg;
        private final Path file;
        private final MappedByteBuffer buf;
        private final int size;
        private final boolean last;
        private final long nextFirstZxid;
        private final long prevZxid;
        private final long fromZxid;
        private final Consumer<Entry> sink;

        Scanner(SegmentFile seg, MappedByteBuffer buf, int size, boolean last, long nextFirstZxid,
                long prevZxid, long fromZxid, Consumer<Entry> sink) {
            this.seg = seg;
            this.file = seg.path();
            this.buf = buf;
            this.size = size;
            this.last = last;
            this.nextFirstZxid = nextFirstZxid;
            this.prevZxid = prevZxid;
            this.fromZxid = fromZxid;
            this.sink = sink;
        }

        ScanResult run() throws IOException {
            if (size < HEADER_BYTES) {
                if (!last) {
                    throw new CorruptLogException(file, 0, "segment header cut short at " + size + " bytes");
                }
                return torn(false, NO_ZXID, 0, NO_ZXID, 0, "segment header cut short at " + size + " bytes");
            }
            if (nextNonZero(0, HEADER_BYTES) < 0) {
                // The size reached the disk but the header did not: a crash while the file was created.
                String reason = "segment header is all zeros";
                if (!last) {
                    throw new CorruptLogException(file, 0, reason);
                }
                int intact = findIntactRecord(HEADER_BYTES, prevZxid == UNKNOWN ? NO_ZXID : prevZxid);
                if (intact >= 0) {
                    throw new CorruptLogException(file, 0, reason + ", yet an intact record follows at offset "
                            + intact);
                }
                return torn(false, NO_ZXID, 0, NO_ZXID, 0, reason);
            }
            int magic = buf.getInt(0);
            if (magic != MAGIC) {
                throw new CorruptLogException(file, 0, "not a Meerkat log segment (magic 0x"
                        + Integer.toHexString(magic) + ", expected \"MKLG\")");
            }
            int version = buf.getInt(4);
            if (version != FORMAT_VERSION) {
                throw new CorruptLogException(file, 4, "unsupported segment format version " + version
                        + " (this build reads " + FORMAT_VERSION + ")");
            }
            long headerPrev = buf.getLong(PREV_ZXID_OFFSET);
            checkHeaderPrev(headerPrev);

            long floor = prevZxid == UNKNOWN ? headerPrev : prevZxid;
            long lastZxid = NO_ZXID;
            int records = 0;
            int p = HEADER_BYTES;
            while (true) {
                int remaining = size - p;
                if (remaining == 0) {
                    return clean(headerPrev, records, lastZxid, p);
                }
                if (remaining < 4) {
                    if (nextNonZero(p, size) < 0) {
                        return clean(headerPrev, records, lastZxid, p);
                    }
                    return bad(headerPrev, records, lastZxid, p, floor, "record length cut short");
                }
                int len = buf.getInt(p);
                if (len == 0) {
                    int intact = findIntactRecord(p, floor);
                    if (intact >= 0) {
                        throw new CorruptLogException(file, p, "the log ends here (zero length) but an intact"
                                + " record follows at offset " + intact + ": txns in between are lost");
                    }
                    return clean(headerPrev, records, lastZxid, p);
                }
                if (len < TxnCodec.MIN_ENCODED_BYTES || len > MAX_RECORD_BYTES) {
                    return bad(headerPrev, records, lastZxid, p, floor, "impossible record length " + len);
                }
                if ((long) len + RECORD_OVERHEAD > remaining) {
                    return bad(headerPrev, records, lastZxid, p, floor, "record of " + len
                            + " bytes runs past the end of the file (" + (remaining - RECORD_OVERHEAD)
                            + " bytes left)");
                }
                if (crc(p + RECORD_OVERHEAD, len) != buf.getInt(p + 4)) {
                    return bad(headerPrev, records, lastZxid, p, floor, "checksum mismatch");
                }
                Entry e;
                try {
                    e = TxnCodec.decode(Unpooled.wrappedBuffer(buf.slice(p + RECORD_OVERHEAD, len)));
                } catch (IOException | RuntimeException ex) {
                    throw new CorruptLogException(file, p, "record has an intact checksum but does not decode: "
                            + ex.getMessage());
                }
                long zxid = e.zxid();
                if (zxid > stopAbove) {
                    return new ScanResult(seg, true, headerPrev, records, lastZxid, p, null, false, size);
                }
                checkZxid(p, records, floor, zxid);
                if (zxid > fromZxid && sink != null) {
                    sink.accept(e);
                }
                floor = zxid;
                lastZxid = zxid;
                records++;
                p += RECORD_OVERHEAD + len;
            }
        }

        private void checkHeaderPrev(long headerPrev) throws CorruptLogException {
            if (headerPrev < NO_ZXID || headerPrev >= seg.firstZxid()) {
                throw new CorruptLogException(file, PREV_ZXID_OFFSET, "header says the previous txn is 0x"
                        + Long.toHexString(headerPrev) + ", which cannot precede this segment's first zxid 0x"
                        + Long.toHexString(seg.firstZxid()));
            }
            if (prevZxid != UNKNOWN) {
                if (headerPrev != prevZxid) {
                    throw new CorruptLogException(file, PREV_ZXID_OFFSET, "segment follows zxid "
                            + hex(headerPrev) + " but the log before it ends at 0x" + Long.toHexString(prevZxid)
                            + ": a segment or txns are missing");
                }
            } else if (headerPrev != NO_ZXID && headerPrev > fromZxid) {
                throw new CorruptLogException(file, PREV_ZXID_OFFSET, "the log starts after zxid 0x"
                        + Long.toHexString(headerPrev) + " but replay needs every txn after 0x"
                        + Long.toHexString(fromZxid) + ": the txns in between are missing");
            }
        }

        private void checkZxid(int p, int records, long floor, long zxid) throws CorruptLogException {
            if (records == 0 && zxid != seg.firstZxid()) {
                throw new CorruptLogException(file, p, "first txn has zxid 0x" + Long.toHexString(zxid)
                        + " but the segment is named for 0x" + Long.toHexString(seg.firstZxid()));
            }
            if (floor != NO_ZXID && zxid <= floor) {
                throw new CorruptLogException(file, p, "zxid 0x" + Long.toHexString(zxid)
                        + " does not come after 0x" + Long.toHexString(floor));
            }
            if (zxid >= nextFirstZxid) {
                throw new CorruptLogException(file, p, "zxid 0x" + Long.toHexString(zxid)
                        + " belongs in the next segment, which starts at 0x" + Long.toHexString(nextFirstZxid));
            }
        }

        private ScanResult clean(long headerPrev, int records, long lastZxid, int end) {
            boolean tailZero = last && nextNonZero(end, size) < 0;
            return new ScanResult(seg, true, headerPrev, records, lastZxid, end, null, tailZero, size);
        }

        private ScanResult bad(long headerPrev, int records, long lastZxid, int p, long floor, String reason)
                throws CorruptLogException {
            if (!last) {
                throw new CorruptLogException(file, p, reason + " in a segment that is not the last one");
            }
            int intact = findIntactRecord(p + 1, floor);
            if (intact >= 0) {
                throw new CorruptLogException(file, p, reason + ", yet an intact record follows at offset "
                        + intact + ": this is damage inside the log, not a torn write at its end");
            }
            return torn(true, headerPrev, records, lastZxid, p, reason);
        }

        private ScanResult torn(boolean hasHeader, long headerPrev, int records, long lastZxid, int at,
                String reason) {
            return new ScanResult(seg, hasHeader, headerPrev, records, lastZxid, at, reason, false, size);
        }

        private int crc(int offset, int len) {
            CRC32C c = new CRC32C();
            c.update(buf.slice(offset, len));
            return (int) c.getValue();
        }

        /**
         * The offset of the first record at or after {@code from} that is intact (plausible length,
         * a zxid above {@code floor}, decodes, checksum matches), or -1. Only reached when something
         * is already wrong, so it may look at every byte; zero runs are skipped eight at a time
         * because a preallocated tail is mostly zeros.
         */
        private int findIntactRecord(int from, long floor) {
            int q = from;
            while ((long) q + RECORD_OVERHEAD + TxnCodec.MIN_ENCODED_BYTES <= size) {
                int nz = nextNonZero(q, size);
                if (nz < 0) {
                    return -1;
                }
                // a non-zero length has a non-zero byte among its four
                q = Math.max(q, nz - 3);
                if (intactAt(q, floor)) {
                    return q;
                }
                q++;
            }
            return -1;
        }

        private boolean intactAt(int q, long floor) {
            if ((long) q + RECORD_OVERHEAD + TxnCodec.MIN_ENCODED_BYTES > size) {
                return false;
            }
            int len = buf.getInt(q);
            if (len < TxnCodec.MIN_ENCODED_BYTES || len > MAX_RECORD_BYTES
                    || (long) q + RECORD_OVERHEAD + len > size) {
                return false;
            }
            int payload = q + RECORD_OVERHEAD;
            if (buf.getLong(payload + TxnCodec.ZXID_OFFSET) <= floor) {
                return false;
            }
            byte tag = buf.get(payload + TxnCodec.TAG_OFFSET);
            if (tag < TxnCodec.CREATE || tag > TxnCodec.ERROR) {
                return false;
            }
            // Decoding fails within a few bytes on garbage, so it goes before the checksum over len bytes.
            try {
                TxnCodec.decode(Unpooled.wrappedBuffer(buf.slice(payload, len)));
            } catch (IOException | RuntimeException e) {
                return false;
            }
            return crc(payload, len) == buf.getInt(q + 4);
        }

        private int nextNonZero(int from, int end) {
            int i = from;
            while (i < end && (i & 7) != 0) {
                if (buf.get(i) != 0) {
                    return i;
                }
                i++;
            }
            while (i + 8 <= end && buf.getLong(i) == 0) {
                i += 8;
            }
            while (i < end) {
                if (buf.get(i) != 0) {
                    return i;
                }
                i++;
            }
            return -1;
        }
    }

    private static String hex(long zxid) {
        return zxid == NO_ZXID ? "(none: first segment of a new log)" : "0x" + Long.toHexString(zxid);
    }
}
