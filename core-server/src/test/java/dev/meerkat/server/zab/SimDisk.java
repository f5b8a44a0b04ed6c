package dev.meerkat.server.zab;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A server's disk in the simulation: only what the shell has written survives a crash. A Ready is
 * written as a sequence of steps in the order {@link Ready} documents (snapshot, truncation, each
 * entry, hard state); a crash in the middle leaves a prefix of them, the way a real shell that dies
 * between two writes would.
 */
final class SimDisk {
    HardState hardState = HardState.INITIAL;
    Snapshot snapshot = Snapshot.EMPTY;
    final ArrayList<Proposal> log = new ArrayList<>();

    PersistentState load() {
        return new PersistentState(hardState, snapshot, log);
    }

    long lastZxid() {
        return log.isEmpty() ? snapshot.zxid() : log.get(log.size() - 1).zxid();
    }

    /** Whether the disk holds {@code p}: covered by the snapshot (whose content the checker vouches for) or logged. */
    boolean holds(Proposal p) {
        if (p.zxid() <= snapshot.zxid()) {
            return true;
        }
        int i = indexOf(p.zxid());
        return i >= 0 && log.get(i).equals(p);
    }

    private int indexOf(long zxid) {
        int lo = 0;
        int hi = log.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long z = log.get(mid).zxid();
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

    static int steps(Ready rd) {
        return (rd.snapshot() != null ? 1 : 0) + (rd.truncateAfter() != Ready.NO_TRUNCATION ? 1 : 0)
                + rd.entries().size() + (rd.hardState() != null ? 1 : 0);
    }

    /**
     * Writes the first {@code steps} steps of {@code rd}; with {@code hardStateFirst}, the hard state
     * is the first step instead of the last.
     *
     * @return the log entries the write removed (by truncation or by a snapshot replacing the log),
     *     which the checker makes sure were never committed
     */
    List<Proposal> write(Ready rd, int steps, boolean hardStateFirst) {
        List<Proposal> removed = new ArrayList<>();
        int done = 0;
        if (hardStateFirst && rd.hardState() != null && steps > 0) {
            hardState = rd.hardState();
            steps--;
        }
        if (rd.snapshot() != null && done++ < steps) {
            for (Proposal p : log) {
                if (p.zxid() > rd.snapshot().zxid()) {
                    removed.add(p);
                }
            }
            snapshot = rd.snapshot();
            log.clear();
        }
        if (rd.truncateAfter() != Ready.NO_TRUNCATION && done++ < steps) {
            long after = rd.truncateAfter();
            if (after < snapshot.zxid()) {
                throw new AssertionError("truncation after " + Zxid.toString(after) + " below the snapshot "
                        + snapshot);
            }
            while (!log.isEmpty() && log.get(log.size() - 1).zxid() > after) {
                removed.add(log.remove(log.size() - 1));
            }
        }
        for (Proposal p : rd.entries()) {
            if (done++ >= steps) {
                return removed;
            }
            if (!Zxid.follows(lastZxid(), p.zxid())) {
                throw new AssertionError("Ready appends " + p + " after " + Zxid.toString(lastZxid())
                        + " on disk: a hole");
            }
            log.add(p);
        }
        if (rd.hardState() != null && !hardStateFirst && done < steps) {
            hardState = rd.hardState();
        }
        return removed;
    }

    /** The application wrote a snapshot through {@code zxid} and purged the log it covers. */
    void saveSnapshot(Snapshot s) {
        snapshot = s;
        int n = 0;
        while (n < log.size() && log.get(n).zxid() <= s.zxid()) {
            n++;
        }
        log.subList(0, n).clear();
    }

    /** The simulated application's state is a count of the global log's entries; that is its snapshot. */
    static byte[] encodeAppState(int count) {
        return ByteBuffer.allocate(4).putInt(count).array();
    }

    static int decodeAppState(Snapshot s) {
        return s.data().length == 0 ? 0 : ByteBuffer.wrap(s.data()).getInt();
    }
}
