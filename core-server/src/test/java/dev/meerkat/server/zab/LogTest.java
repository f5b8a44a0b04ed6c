package dev.meerkat.server.zab;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.meerkat.server.zab.LearnerRulesTest.p;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Zxids, the in-memory log and log summaries: the arithmetic the protocol's safety rests on. */
class LogTest {
    private static LogSummary summary(long[]... spans) {
        return new LogSummary(java.util.Arrays.stream(spans).map(s -> new LogSummary.Span(s[0], s[1])).toList());
    }

    private static long z(long e, long c) {
        return Zxid.of(e, c);
    }

    @Test
    void zxidPacksEpochAndCounter() {
        long z = Zxid.of(7, 42);
        assertThat(Zxid.epoch(z)).isEqualTo(7);
        assertThat(Zxid.counter(z)).isEqualTo(42);
        assertThat(z).isEqualTo(7L << 32 | 42);
        assertThat(Zxid.of(2, 1)).isGreaterThan(Zxid.of(1, Zxid.MAX_COUNTER));
        assertThat(Zxid.toString(z)).isEqualTo("7:42");
        assertThatThrownBy(() -> Zxid.of(1, 1L << 32)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void followsAllowsTheNextCounterOrTheFirstOfALaterEpoch() {
        assertThat(Zxid.follows(z(1, 4), z(1, 5))).isTrue();
        assertThat(Zxid.follows(z(1, 4), z(3, 1))).isTrue();
        assertThat(Zxid.follows(0, z(1, 1))).isTrue();
        assertThat(Zxid.follows(z(1, 4), z(1, 6))).isFalse();
        assertThat(Zxid.follows(z(1, 4), z(1, 4))).isFalse();
        assertThat(Zxid.follows(z(1, 4), z(2, 2))).isFalse();
        assertThat(Zxid.follows(z(2, 1), z(1, 5))).isFalse();
    }

    @Test
    void historyRefusesHolesAndKeepsItsEnds() {
        History h = new History(Snapshot.EMPTY, List.of(p(1, 1), p(1, 2)));
        assertThat(h.append(p(1, 4))).isFalse();
        assertThat(h.append(p(2, 2))).isFalse();
        assertThat(h.append(p(2, 1))).isTrue();
        assertThat(h.lastZxid()).isEqualTo(z(2, 1));
        assertThat(h.contains(0)).isTrue();
        assertThat(h.contains(z(1, 2))).isTrue();
        assertThat(h.contains(z(1, 3))).isFalse();
        assertThat(h.between(z(1, 1), z(2, 1))).containsExactly(p(1, 2), p(2, 1));
        assertThat(h.next(z(1, 2))).isEqualTo(p(2, 1));
        assertThatThrownBy(() -> new History(Snapshot.EMPTY, List.of(p(1, 1), p(1, 3))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void historyTruncatesOnlyToAZxidItHolds() {
        History h = new History(Snapshot.EMPTY, List.of(p(1, 1), p(1, 2), p(1, 3)));
        assertThatThrownBy(() -> h.truncateAfter(z(1, 7))).isInstanceOf(IllegalStateException.class);
        h.truncateAfter(z(1, 1));
        assertThat(h.lastZxid()).isEqualTo(z(1, 1));
        assertThat(h.append(p(2, 1))).isTrue();
    }

    @Test
    void compactionMovesTheBaseAndTheSummaryCountsIt() {
        History h = new History(Snapshot.EMPTY, List.of(p(1, 1), p(1, 2), p(2, 1), p(2, 2)));
        assertThat(h.summary()).isEqualTo(summary(new long[] {0, 0}, new long[] {z(1, 1), z(1, 2)},
                new long[] {z(2, 1), z(2, 2)}));
        h.compact(new Snapshot(z(1, 2), new byte[] {1}));
        assertThat(h.baseZxid()).isEqualTo(z(1, 2));
        assertThat(h.size()).isEqualTo(2);
        assertThat(h.summary()).isEqualTo(summary(new long[] {z(1, 2), z(1, 2)}, new long[] {z(2, 1), z(2, 2)}));
        assertThat(h.summaryThrough(z(2, 1))).isEqualTo(summary(new long[] {z(1, 2), z(1, 2)},
                new long[] {z(2, 1), z(2, 1)}));
        assertThatThrownBy(() -> h.compact(new Snapshot(z(1, 1), new byte[0])))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCommonPointOfDivergedLogsIsTheLastZxidBothHold() {
        // The case a last zxid alone gets wrong: (1:8) then (3:1) against (1:5) then (2:1). Cutting
        // the first after the leader's last zxid below 3:1, i.e. 2:1, would keep 1:6..1:8.
        LogSummary follower = summary(new long[] {0, 0}, new long[] {z(1, 1), z(1, 8)}, new long[] {z(3, 1), z(3, 1)});
        LogSummary leader = summary(new long[] {0, 0}, new long[] {z(1, 1), z(1, 5)}, new long[] {z(2, 1), z(2, 4)});
        assertThat(follower.commonPoint(leader)).isEqualTo(z(1, 5));
        assertThat(leader.commonPoint(follower)).isEqualTo(z(1, 5));
    }

    @Test
    void theCommonPointOfAPrefixIsItsEnd() {
        LogSummary shorter = summary(new long[] {0, 0}, new long[] {z(1, 1), z(1, 3)});
        LogSummary longer = summary(new long[] {0, 0}, new long[] {z(1, 1), z(1, 9)}, new long[] {z(4, 1), z(4, 2)});
        assertThat(shorter.commonPoint(longer)).isEqualTo(z(1, 3));
    }

    @Test
    void logsWithNoCommonZxidHaveNone() {
        LogSummary compacted = summary(new long[] {z(5, 3), z(5, 9)});
        LogSummary old = summary(new long[] {0, 0}, new long[] {z(1, 1), z(1, 4)});
        assertThat(compacted.commonPoint(old)).isEqualTo(-1);
        LogSummary diverged = summary(new long[] {z(2, 1), z(2, 3)}, new long[] {z(4, 1), z(4, 1)});
        assertThat(compacted.commonPoint(diverged)).isEqualTo(-1);
    }

    @Test
    void hardStateNeverHasCurrentAboveAccepted() {
        assertThatThrownBy(() -> new HardState(1, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new HardState(2, 2).currentEpoch()).isEqualTo(2);
    }
}
