package dev.meerkat.server.storage;

import dev.meerkat.server.storage.TxnLog.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A leader's TRUNC and SNAP as the log sees them: cut after a zxid, or start again after a snapshot. */
class TxnLogTruncateTest {
    /** Small segments, so that a cut crosses segment boundaries. */
    private static final Options SMALL = Options.defaults().withPreallocBytes(4096).withSegmentBytes(600);

    @TempDir
    Path dir;

    private static List<Long> zxids(Path dir, long from) throws IOException {
        List<Long> out = new ArrayList<>();
        TxnLog.read(dir, from, e -> out.add(e.zxid()));
        return out;
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void cutInsideTheNewestSegmentAndAcrossSegmentsThenAppendAgain() throws IOException {
        try (TxnLog log = TxnLog.open(dir, SMALL)) {
            for (long z = 1; z <= 40; z++) {
                log.append(Txns.header(z), Txns.txn(z));
            }
            log.sync();
            int segments = Segments.list(dir).size();
            assertThat(segments).isGreaterThan(3);

            log.truncateAfter(37);
            assertThat(log.lastZxid()).isEqualTo(37);
            assertThat(zxids(dir, 0)).isEqualTo(range(1, 37));

            log.truncateAfter(12);
            assertThat(log.lastZxid()).isEqualTo(12);
            assertThat(Segments.list(dir).size()).isLessThan(segments);
            assertThat(zxids(dir, 0)).isEqualTo(range(1, 12));

            // A different history continues the cut log: same zxids, other txns.
            for (long z = 13; z <= 20; z++) {
                log.append(Txns.header(z), Txns.txn(z + 1000));
            }
            log.sync();
        }
        List<Entry> back = new ArrayList<>();
        TxnLog.read(dir, 0, back::add);
        assertThat(back).extracting(Entry::zxid).isEqualTo(range(1, 20));
        assertThat(back.get(15).txn()).isEqualTo(Txns.txn(16 + 1000));
        // Reopening finds the same log, and appends continue after it.
        try (TxnLog log = TxnLog.open(dir, SMALL)) {
            assertThat(log.lastZxid()).isEqualTo(20);
            log.append(Txns.header(21), Txns.txn(21));
            log.sync();
        }
        assertThat(zxids(dir, 0)).isEqualTo(range(1, 21));
    }

    @Test
    void cutOfBufferedRecordsNeverLetsThemReappear() throws IOException {
        try (TxnLog log = TxnLog.open(dir, SMALL)) {
            for (long z = 1; z <= 5; z++) {
                log.append(Txns.header(z), Txns.txn(z));
            }
            log.sync();
            for (long z = 6; z <= 9; z++) {
                log.append(Txns.header(z), Txns.txn(z));
            }
            log.truncateAfter(5);
            assertThat(log.lastZxid()).isEqualTo(5);
        }
        assertThat(zxids(dir, 0)).isEqualTo(range(1, 5));
    }

    @Test
    void resetStartsTheLogAfterASnapshotZxid() throws IOException {
        try (TxnLog log = TxnLog.open(dir, SMALL)) {
            for (long z = 1; z <= 30; z++) {
                log.append(Txns.header(z), Txns.txn(z));
            }
            log.sync();
            log.reset(100);
            assertThat(Segments.list(dir)).isEmpty();
            assertThat(log.lastZxid()).isEqualTo(100);
            for (long z = 101; z <= 104; z++) {
                log.append(Txns.header(z), Txns.txn(z));
            }
            log.sync();
        }
        assertThat(zxids(dir, 100)).isEqualTo(range(101, 104));
    }
}
