package dev.meerkat.server.zab;

import java.util.ArrayList;
import java.util.List;

/**
 * The in-memory log: a snapshot base and the contiguous entries after it. Every mutation checks
 * continuity, so no code path can put a hole or a step backwards into a log (ZOOKEEPER-4925).
 */
final class History {
    private Snapshot base;
    private final ArrayList<Proposal> entries = new ArrayList<>();

    History(Snapshot base, List<Proposal> log) {
        this.base = base;
        for (Proposal p : log) {
            if (!Zxid.follows(lastZxid(), p.zxid())) {
                throw new IllegalArgumentException("log is not contiguous: " + Zxid.toString(p.zxid()) + " after "
                        + Zxid.toString(lastZxid()));
            }
            entries.add(p);
        }
    }

    Snapshot base() {
        return base;
    }

    long baseZxid() {
        return base.zxid();
    }

    long lastZxid() {
        return entries.isEmpty() ? base.zxid() : entries.get(entries.size() - 1).zxid();
    }

    int size() {
        return entries.size();
    }

    /** Whether the log holds {@code zxid}, counting the base. */
    boolean contains(long zxid) {
        return zxid == base.zxid() || indexOf(zxid) >= 0;
    }

    /** The entry with {@code zxid}, or null (also for the base, which has no entry). */
    Proposal get(long zxid) {
        int i = indexOf(zxid);
        return i < 0 ? null : entries.get(i);
    }

    private int indexOf(long zxid) {
        int lo = 0;
        int hi = entries.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long z = entries.get(mid).zxid();
            if (z < zxid) {
                lo = mid + 1;
            } else if (z > zxid) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** Index of the first entry with a zxid greater than {@code zxid}. */
    private int firstAfter(long zxid) {
        int lo = 0;
        int hi = entries.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (entries.get(mid).zxid() <= zxid) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The entries with {@code after < zxid <= through}, as a copy. */
    List<Proposal> between(long after, long through) {
        int from = firstAfter(after);
        int to = firstAfter(through);
        return from >= to ? List.of() : new ArrayList<>(entries.subList(from, to));
    }

    /** The entry right after {@code zxid}, which must be held; null at the end. */
    Proposal next(long zxid) {
        int i = firstAfter(zxid);
        return i < entries.size() ? entries.get(i) : null;
    }

    /** Appends; false (and nothing changes) when {@code p} does not directly follow the last entry. */
    boolean append(Proposal p) {
        if (!Zxid.follows(lastZxid(), p.zxid())) {
            return false;
        }
        entries.add(p);
        return true;
    }

    /** Drops every entry after {@code zxid}, which the log must hold. */
    void truncateAfter(long zxid) {
        if (!contains(zxid)) {
            throw new IllegalStateException("truncation point " + Zxid.toString(zxid) + " is not in the log "
                    + summary());
        }
        entries.subList(firstAfter(zxid), entries.size()).clear();
    }

    /** Replaces the whole log by a snapshot (SNAP sync). */
    void reset(Snapshot snapshot) {
        base = snapshot;
        entries.clear();
    }

    /** Moves the base forward to an application snapshot of a held zxid, dropping the entries it covers. */
    void compact(Snapshot snapshot) {
        long z = snapshot.zxid();
        if (z < base.zxid() || !contains(z)) {
            throw new IllegalArgumentException("cannot compact to " + Zxid.toString(z) + ", log " + summary());
        }
        entries.subList(0, firstAfter(z)).clear();
        base = snapshot;
    }

    LogSummary summary() {
        return summaryThrough(Long.MAX_VALUE);
    }

    /** The summary of the log cut after {@code limit} (which must not be below the base). */
    LogSummary summaryThrough(long limit) {
        List<LogSummary.Span> spans = new ArrayList<>();
        long first = base.zxid();
        long last = first;
        int end = firstAfter(limit);
        for (int i = 0; i < end; i++) {
            long z = entries.get(i).zxid();
            if (Zxid.epoch(z) != Zxid.epoch(last)) {
                spans.add(new LogSummary.Span(first, last));
                first = z;
            }
            last = z;
        }
        spans.add(new LogSummary.Span(first, last));
        return new LogSummary(spans);
    }
}
