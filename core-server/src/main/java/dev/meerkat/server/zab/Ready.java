package dev.meerkat.server.zab;

import java.util.List;

/**
 * The effects a {@link ZabNode} asks of its shell, gathered since the previous Ready. The shell
 * handles one at a time:
 *
 * <pre>
 *   Ready rd = node.ready();
 *   send(rd.messages());                  // at once; need not wait for the disk (see below)
 *   disk: rd.snapshot(), then rd.truncateAfter(), then rd.entries(), then rd.hardState(); fsync
 *   app:  install rd.snapshot() if any, then apply rd.committed() in order
 *   node.advance(rd);                     // only once every durable field above is on disk
 * </pre>
 *
 * <h2>What must be durable, and when</h2>
 * The log fields are written in the order listed: <b>snapshot</b> (replacing the whole log),
 * <b>truncateAfter</b>, then <b>entries</b> (appended). <b>hardState</b> is one atomic write (a
 * temporary file renamed over the old one), before or after the log fields: the core never lets a
 * Ready carry a hard state that depends on that Ready's own log writes. The currentEpoch that a
 * NEWLEADER ack stands for is only issued once {@link ZabNode#advance} has confirmed the synced
 * history, truncation included (persist txns, then currentEpoch, then ACK:
 * ZOOKEEPER-4646/4643/3911/3023/5094). So a crash may stop the shell anywhere: any prefix of the log
 * writes, with or without the hard state, is a state the server can restart from. Nothing of a
 * Ready needs to be on disk before its messages are sent.
 *
 * <p>{@link ZabNode#advance} is the shell's word that all of it is on disk, fsynced. "Handed to a
 * writer thread" is not on disk (ZOOKEEPER-3023). A write that fails is not to be advanced or
 * retried around: the shell stops the server and restarts it from what the disk holds, as after a
 * crash (ZOOKEEPER-4882 was a failed write that memory went on without).
 *
 * <p>At most one Ready is outstanding, so a slow fsync holds back the next Ready's messages too
 * (ping replies included): a follower whose disk stalls for syncLimit ticks drops out of its
 * leader's quorum instead of acknowledging what it has not written.
 *
 * <h2>Messages do not wait for the disk</h2>
 * Every message whose meaning is "this is durable here" (ACKEPOCH after acceptedEpoch, the
 * NEWLEADER ack after the synced history and currentEpoch, proposal acks after the entries, the
 * leader's count of its own write) is produced only after an {@code advance} has confirmed it. So
 * the shell may send {@link #messages()} as soon as it holds the Ready, in parallel with the fsync,
 * which is how a leader's proposals reach the followers while its own write is in flight.
 *
 * <h2>The application</h2>
 * {@link #snapshot()}, when present, is a state sent by the leader (SNAP): the application replaces
 * its state with it before applying {@link #committed()}. {@link #committed()} are the entries known
 * committed, in zxid order, each delivered exactly once per start of the server; on the leader,
 * delivering one is the moment a client may be told its write succeeded.
 */
public final class Ready {
    /** {@link #truncateAfter()} when nothing is to be cut. */
    public static final long NO_TRUNCATION = -1;

    private final HardState hardState;
    private final Snapshot snapshot;
    private final long truncateAfter;
    private final List<Proposal> entries;
    private final List<Proposal> committed;
    private final List<Envelope> messages;
    private final Role role;
    private final int leader;
    /** The node's last zxid when this Ready was cut: what the log on disk reaches once it is written. */
    final long lastZxid;
    /** How many truncations the node had made when this Ready was cut: the disk has them all once it is written. */
    final long truncations;

    Ready(HardState hardState, Snapshot snapshot, long truncateAfter, List<Proposal> entries,
          List<Proposal> committed, List<Envelope> messages, Role role, int leader, long lastZxid,
          long truncations) {
        this.hardState = hardState;
        this.snapshot = snapshot;
        this.truncateAfter = truncateAfter;
        this.entries = List.copyOf(entries);
        this.committed = List.copyOf(committed);
        this.messages = List.copyOf(messages);
        this.role = role;
        this.leader = leader;
        this.lastZxid = lastZxid;
        this.truncations = truncations;
    }

    /** The epochs to write, atomically and last; null when unchanged. */
    public HardState hardState() {
        return hardState;
    }

    /** A snapshot from the leader to write first, discarding the whole log; null if none. */
    public Snapshot snapshot() {
        return snapshot;
    }

    /** Remove every log entry with a larger zxid, before appending; {@link #NO_TRUNCATION} if none. */
    public long truncateAfter() {
        return truncateAfter;
    }

    /** Entries to append to the log, contiguous and in zxid order. */
    public List<Proposal> entries() {
        return entries;
    }

    /** Entries to apply to the application, in zxid order, each exactly once. */
    public List<Proposal> committed() {
        return committed;
    }

    /** Messages to send; each may be sent before the durable fields are written. */
    public List<Envelope> messages() {
        return messages;
    }

    /** The server's role when the Ready was cut. */
    public Role role() {
        return role;
    }

    /** The leader's myid when the Ready was cut, or -1 while looking. */
    public int leader() {
        return leader;
    }

    /** Whether the shell has anything to write before calling {@link ZabNode#advance}. */
    public boolean mustPersist() {
        return hardState != null || snapshot != null || truncateAfter != NO_TRUNCATION || !entries.isEmpty();
    }

    @Override
    public String toString() {
        return "Ready[" + role + " leader=" + leader + (hardState != null ? " " + hardState : "")
                + (snapshot != null ? " " + snapshot : "")
                + (truncateAfter != NO_TRUNCATION ? " truncateAfter=" + Zxid.toString(truncateAfter) : "")
                + " entries=" + entries.size() + " committed=" + committed.size() + " messages=" + messages.size()
                + "]";
    }
}
