package dev.meerkat.server.zab;

import java.util.List;

/**
 * A log described by its epochs: for each epoch present, the first and last zxid held, in order.
 * The snapshot base counts as an entry (a server holds the state through it), so the summary of an
 * empty log is the single span {@code [base, base]}.
 *
 * <p>Within an epoch every server holds a contiguous run of the same leader's proposals, and two
 * logs that hold the same zxid agree on everything before it. So the largest zxid two summaries
 * share is exactly the point to which the longer log must be cut before the other's entries are
 * appended: no further (ZOOKEEPER-1156) and no less (ZOOKEEPER-1154). A follower sends this rather
 * than just its last zxid because a last zxid cannot tell "(1:8) then (3:1)" from "(1:5) then
 * (2:1)" when the leader needs the common point.
 */
public record LogSummary(List<Span> spans) {
    /** The zxids a log holds in one epoch, both ends included. */
    public record Span(long first, long last) {
        public Span {
            if (first > last || Zxid.epoch(first) != Zxid.epoch(last)) {
                throw new IllegalArgumentException(Zxid.toString(first) + ".." + Zxid.toString(last));
            }
        }

        public long epoch() {
            return Zxid.epoch(first);
        }
    }

    public LogSummary {
        spans = List.copyOf(spans);
        if (spans.isEmpty()) {
            throw new IllegalArgumentException("a log holds at least its base");
        }
        for (int i = 1; i < spans.size(); i++) {
            if (spans.get(i).epoch() <= spans.get(i - 1).epoch()) {
                throw new IllegalArgumentException("spans out of epoch order: " + spans);
            }
        }
    }

    public long lastZxid() {
        return spans.get(spans.size() - 1).last();
    }

    public long baseZxid() {
        return spans.get(0).first();
    }

    /** The largest zxid both logs hold, or -1 when they share none. */
    public long commonPoint(LogSummary other) {
        long best = -1;
        int j = 0;
        for (Span mine : spans) {
            while (j < other.spans.size() && other.spans.get(j).epoch() < mine.epoch()) {
                j++;
            }
            if (j == other.spans.size()) {
                break;
            }
            Span theirs = other.spans.get(j);
            if (theirs.epoch() != mine.epoch()) {
                continue;
            }
            long lo = Math.max(mine.first(), theirs.first());
            long hi = Math.min(mine.last(), theirs.last());
            if (lo <= hi) {
                best = Math.max(best, hi);
            }
        }
        return best;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("[");
        for (Span s : spans) {
            if (b.length() > 1) {
                b.append(' ');
            }
            b.append(Zxid.toString(s.first)).append("..").append(Zxid.toString(s.last));
        }
        return b.append(']').toString();
    }
}
