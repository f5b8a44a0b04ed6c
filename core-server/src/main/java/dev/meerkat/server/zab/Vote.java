package dev.meerkat.server.zab;

/**
 * A proposed leader: its id, last zxid and currentEpoch. Votes are ordered by epoch, then zxid,
 * then id, so an election picks, among the servers that take part, one whose history is the most
 * recent (ZOOKEEPER-1154: never elect a server that lacks what a quorum logged).
 */
public record Vote(int leader, long zxid, long epoch) {
    public boolean betterThan(Vote o) {
        if (epoch != o.epoch) {
            return epoch > o.epoch;
        }
        if (zxid != o.zxid) {
            return zxid > o.zxid;
        }
        return leader > o.leader;
    }

    @Override
    public String toString() {
        return "Vote[" + leader + " " + epoch + "/" + Zxid.toString(zxid) + "]";
    }
}
