package dev.meerkat.server.zab;

import dev.meerkat.server.zab.Message.Notification;

import java.util.Map;
import java.util.TreeMap;

/**
 * Fast leader election, after ZooKeeper's FastLeaderElection.
 *
 * <p>A looking voter proposes itself, adopts any better vote it hears (in its round, or from a later
 * round, whose number it then takes) and sends each change to every voter. Once a quorum of the
 * votes of its round agree with its own it keeps listening for {@code finalizeWaitTicks} ticks; a
 * better vote in that time starts the count again. Servers that are already FOLLOWING or LEADING
 * answer a looking one with the leader they have; a looking server follows that leader when a
 * quorum of voters report it and the leader itself reports LEADING, which is how a restarted
 * server, or an observer, joins a running ensemble without an election round that would unseat
 * anyone. Lost votes are made good by re-sending every {@code electionResendTicks} ticks.
 */
final class Election {
    private final ZabNode node;
    private final ZabConfig config;
    private long round;
    private Vote vote;
    /** Votes of the current round, from voters, including this server's own. */
    private final Map<Integer, Notification> received = new TreeMap<>();
    /** Answers from voters that are past the election, whatever their round. */
    private final Map<Integer, Notification> outOfElection = new TreeMap<>();
    private long finalizeAt = -1;
    private long lastBroadcast;
    /** What this server decided, reported to looking servers while it is not looking. */
    private Vote decided;
    private long decidedRound;

    Election(ZabNode node) {
        this.node = node;
        this.config = node.config;
    }

    long round() {
        return round;
    }

    void start() {
        round++;
        received.clear();
        outOfElection.clear();
        finalizeAt = -1;
        vote = node.selfVote();
        recordOwnVote();
        broadcast();
        evaluate();
    }

    void tick() {
        if (finalizeAt >= 0 && node.now >= finalizeAt) {
            finalizeAt = -1;
            if (agreeing(received, notificationOf(vote)) >= config.quorum()) {
                decide(vote);
                return;
            }
        }
        if (node.now - lastBroadcast >= config.electionResendTicks()) {
            broadcast();
        }
    }

    void onNotification(int from, Notification n) {
        if (node.role() == Role.FOLLOWING && from == node.leader() && n.state() == Role.LOOKING && n.round() > round) {
            // The leader stepped down and is electing again (a newer round than the one that made
            // it leader, so not a late message of that election). Its process and connections
            // live on, so nothing else would tell this follower before syncLimit ticks of silence,
            // and its clients' writes would go to a server that drops them until then.
            node.becomeLooking("leader " + from + " is looking again");
        }
        if (node.role() != Role.LOOKING) {
            if (n.state() == Role.LOOKING) {
                reply(from);
            }
            return;
        }
        if (!n.voter() || !config.isVoter(from)) {
            return;
        }
        if (n.state() == Role.LOOKING) {
            if (config.isVoter(node.myid)) {
                onLookingVote(from, n);
            }
            return;
        }
        if (n.state() == Role.OBSERVING) {
            return;
        }
        Vote theirs = new Vote(n.leader(), n.zxid(), n.peerEpoch());
        if (n.round() == round && config.isVoter(node.myid)) {
            received.put(from, n);
            if (agreeing(received, n) >= config.quorum() && leaderConfirmed(received, n.leader(), true)) {
                decide(theirs);
                return;
            }
        }
        outOfElection.put(from, n);
        if (agreeing(outOfElection, n) >= config.quorum() && leaderConfirmed(outOfElection, n.leader(), false)) {
            round = n.round();
            decide(theirs);
        }
    }

    private void onLookingVote(int from, Notification n) {
        Vote theirs = new Vote(n.leader(), n.zxid(), n.peerEpoch());
        if (n.round() > round) {
            round = n.round();
            received.clear();
            Vote self = node.selfVote();
            vote = theirs.betterThan(self) ? theirs : self;
            finalizeAt = -1;
            recordOwnVote();
            broadcast();
        } else if (n.round() < round) {
            reply(from);
            return;
        } else if (theirs.betterThan(vote)) {
            vote = theirs;
            finalizeAt = -1;
            recordOwnVote();
            broadcast();
        }
        received.put(from, n);
        evaluate();
    }

    private void evaluate() {
        if (!config.isVoter(node.myid) || finalizeAt >= 0) {
            return;
        }
        if (agreeing(received, notificationOf(vote)) >= config.quorum()) {
            if (config.finalizeWaitTicks() == 0) {
                decide(vote);
            } else {
                finalizeAt = node.now + config.finalizeWaitTicks();
            }
        }
    }

    private void decide(Vote v) {
        finalizeAt = -1;
        decided = v;
        decidedRound = round;
        node.electionDecided(v.leader());
    }

    /**
     * Following {@code leader} on the word of others is safe only if the leader itself says it
     * leads; a server never takes the lead on others' stale word from outside its own round.
     */
    private boolean leaderConfirmed(Map<Integer, Notification> votes, int leader, boolean sameRound) {
        if (leader == node.myid) {
            return sameRound;
        }
        Notification fromLeader = votes.get(leader);
        return fromLeader != null && fromLeader.state() == Role.LEADING;
    }

    private int agreeing(Map<Integer, Notification> votes, Notification target) {
        int n = 0;
        for (Map.Entry<Integer, Notification> e : votes.entrySet()) {
            if (config.isVoter(e.getKey()) && sameVote(e.getValue(), target)) {
                n++;
            }
        }
        return n;
    }

    /**
     * While looking, votes agree when they name the same history; once servers are past the
     * election, they agree when they name the same leader and epoch (ZooKeeper's Vote.equals).
     */
    private static boolean sameVote(Notification a, Notification b) {
        if (a.leader() != b.leader() || a.peerEpoch() != b.peerEpoch()) {
            return false;
        }
        return a.state() != Role.LOOKING && b.state() != Role.LOOKING || a.zxid() == b.zxid();
    }

    private void recordOwnVote() {
        if (config.isVoter(node.myid)) {
            received.put(node.myid, notificationOf(vote));
        }
    }

    private Notification notificationOf(Vote v) {
        return new Notification(v.leader(), v.zxid(), v.epoch(), round, Role.LOOKING, config.isVoter(node.myid));
    }

    private void broadcast() {
        lastBroadcast = node.now;
        Notification n = notificationOf(vote);
        for (int v : config.voters()) {
            if (v != node.myid) {
                node.send(v, n);
            }
        }
    }

    private void reply(int to) {
        if (node.role() == Role.LOOKING) {
            node.send(to, notificationOf(vote));
        } else if (decided != null) {
            // Report the epoch the leader actually runs once it is known, not the one in the vote
            // that elected it: servers that joined at different times hold different votes for the
            // same leader, and a looking server needs a quorum of them to agree (ZOOKEEPER-1732).
            long epoch = node.leaderEpoch();
            node.send(to, new Notification(decided.leader(), decided.zxid(), epoch >= 0 ? epoch : decided.epoch(),
                    decidedRound, node.role(), config.isVoter(node.myid)));
        }
    }
}
