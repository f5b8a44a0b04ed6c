/**
 * ZAB, ZooKeeper's atomic broadcast, as a pure state machine: election, discovery, synchronisation
 * and broadcast, with no sockets, clocks, threads or randomness inside.
 *
 * <h2>Shape</h2>
 * One {@link dev.meerkat.server.zab.ZabNode} per server, driven the way etcd's raft library is:
 * {@link dev.meerkat.server.zab.ZabNode#tick()} for time, {@link dev.meerkat.server.zab.ZabNode#step}
 * for a peer's {@link dev.meerkat.server.zab.Message}, {@link dev.meerkat.server.zab.ZabNode#propose}
 * on the leader; {@link dev.meerkat.server.zab.ZabNode#ready()} returns a
 * {@link dev.meerkat.server.zab.Ready} of effects (what to write, in which order; what to send; what
 * to apply) and {@link dev.meerkat.server.zab.ZabNode#advance} reports it written. The shell around it
 * ({@code quorum/}) owns connections, timers and files. Payloads are opaque bytes, and so are
 * snapshots: the core never looks inside either.
 *
 * <h2>Rules that come from ZooKeeper's data-loss bugs</h2>
 * <ul>
 *   <li>Votes and the leader's "is a follower ahead of me" check order servers by (currentEpoch,
 *       last zxid), and a leader gives up if any follower that accepts its epoch before it is
 *       established is ahead of it (ZOOKEEPER-1154).</li>
 *   <li>A follower is cut back to exactly the last zxid it shares with the leader, computed from a
 *       per-epoch {@link dev.meerkat.server.zab.LogSummary} rather than from a last zxid alone
 *       (ZOOKEEPER-1156).</li>
 *   <li>acceptedEpoch and currentEpoch are one atomically written
 *       {@link dev.meerkat.server.zab.HardState}, and a promise (ACKEPOCH) goes out only once it is on
 *       disk (ZOOKEEPER-2307, 1653).</li>
 *   <li>On NEWLEADER: the synced history is on disk (including any truncation), then currentEpoch
 *       is written, then NEWLEADER is acknowledged, each step after the shell confirmed the previous
 *       (ZOOKEEPER-3911, 3023, 4646, 4643, 5094). Proposals are acknowledged only once on disk, and
 *       the first acknowledgement of a session is the NEWLEADER one, so they cannot be reordered
 *       (ZOOKEEPER-4685).</li>
 *   <li>A snapshot from the leader (SNAP) is a durable effect like any other: the learner's state
 *       moves to it only through a Ready the shell writes (ZOOKEEPER-3642). The whole sync is one
 *       message, so nothing of it can arrive after NEWLEADER (ZOOKEEPER-3104).</li>
 *   <li>Logs never get holes: every append checks zxid continuity, a DIFF must start where the
 *       learner's log ends, and the leader-to-learner stream is numbered, held in order and re-sent
 *       from the learner's reported position (ZOOKEEPER-4925, 2355).</li>
 *   <li>A server starts only from consistent persistent state (contiguous log, no entries of an
 *       epoch it never accepted); the application's state on start is its snapshot, and log entries
 *       after it are delivered only once known committed (ZOOKEEPER-2845).</li>
 *   <li>One thread owns a node (ZOOKEEPER-4785); the core never blocks (ZOOKEEPER-3575).</li>
 * </ul>
 *
 * <h2>Liveness</h2>
 * The leader pings every learner every tick; a follower that hears nothing in order for syncLimit
 * ticks looks for a leader again, and a leader that has not heard a quorum of synced followers for
 * syncLimit ticks steps down. initLimit bounds discovery and synchronisation on both sides. An
 * exhausted zxid counter ends the epoch once its proposals are committed.
 */
package dev.meerkat.server.zab;
