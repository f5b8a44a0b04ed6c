package dev.meerkat.server.zab;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ensemble as one server sees it, and its timing, counted in ticks (the shell calls
 * {@link ZabNode#tick()} once per tick; ZooKeeper's tickTime).
 *
 * @param myid this server's id
 * @param voters the participants: they vote, and quorums are majorities of them
 * @param observers servers that learn committed entries but never vote and never count in a quorum
 * @param initLimit ticks a leader may take to establish its epoch (discovery and synchronisation),
 *     and a learner to get from choosing a leader to UPTODATE
 * @param syncLimit ticks a follower waits without hearing its leader before it looks for another,
 *     and a leader waits without hearing a quorum before it steps down
 * @param finalizeWaitTicks ticks a voter keeps listening for a better vote once a quorum agrees
 *     with its own, before it decides (ZooKeeper's finalizeWait)
 * @param electionResendTicks ticks between re-sends of a looking server's vote, which is how votes
 *     lost on the network are made good
 * @param maxCounter the last zxid counter a leader may assign; reaching it ends the epoch with a
 *     new election. {@link Zxid#MAX_COUNTER} in production, small in tests of the rollover
 * @param maxStreamBuffer messages a learner holds that arrived ahead of a gap in its leader's
 *     stream; beyond it the learner gives up the connection and joins again
 */
public record ZabConfig(int myid, Set<Integer> voters, Set<Integer> observers, int initLimit, int syncLimit,
                        int finalizeWaitTicks, int electionResendTicks, long maxCounter, int maxStreamBuffer) {
    public ZabConfig {
        // Sorted and unmodifiable: Set.copyOf would iterate in an order salted per JVM, and the core
        // must do the same thing every time it is given the same inputs.
        voters = Collections.unmodifiableSortedSet(new TreeSet<>(voters));
        observers = Collections.unmodifiableSortedSet(new TreeSet<>(observers));
        if (voters.isEmpty()) {
            throw new IllegalArgumentException("no voters");
        }
        for (int o : observers) {
            if (voters.contains(o)) {
                throw new IllegalArgumentException("server " + o + " is both voter and observer");
            }
        }
        if (!voters.contains(myid) && !observers.contains(myid)) {
            throw new IllegalArgumentException("myid " + myid + " is not in the ensemble");
        }
        if (initLimit < 1 || syncLimit < 1 || finalizeWaitTicks < 0 || electionResendTicks < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (maxCounter < 1 || maxCounter > Zxid.MAX_COUNTER) {
            throw new IllegalArgumentException("maxCounter " + maxCounter);
        }
        if (maxStreamBuffer < 1) {
            throw new IllegalArgumentException("maxStreamBuffer " + maxStreamBuffer);
        }
    }

    /** ZooKeeper's defaults in spirit: initLimit 10, syncLimit 5, a one-tick final wait. */
    public static ZabConfig of(int myid, Set<Integer> voters, Set<Integer> observers) {
        return new ZabConfig(myid, voters, observers, 10, 5, 1, 2, Zxid.MAX_COUNTER, 4096);
    }

    public ZabConfig withLimits(int initLimit, int syncLimit) {
        return new ZabConfig(myid, voters, observers, initLimit, syncLimit, finalizeWaitTicks, electionResendTicks,
                maxCounter, maxStreamBuffer);
    }

    public ZabConfig withFinalizeWaitTicks(int ticks) {
        return new ZabConfig(myid, voters, observers, initLimit, syncLimit, ticks, electionResendTicks, maxCounter,
                maxStreamBuffer);
    }

    public ZabConfig withMaxCounter(long max) {
        return new ZabConfig(myid, voters, observers, initLimit, syncLimit, finalizeWaitTicks, electionResendTicks, max,
                maxStreamBuffer);
    }

    public boolean isVoter(int id) {
        return voters.contains(id);
    }

    public boolean isObserver(int id) {
        return observers.contains(id);
    }

    public boolean isMember(int id) {
        return voters.contains(id) || observers.contains(id);
    }

    /** A strict majority of the voters. */
    public int quorum() {
        return voters.size() / 2 + 1;
    }
}
