package dev.meerkat.server.zab;

/** One simulated server: its disk (which survives crashes), and while it runs, its core and application. */
final class SimServer {
    final int id;
    final ZabConfig config;
    final SimDisk disk = new SimDisk();
    /** Null while crashed. */
    ZabNode node;
    int incarnation;
    /** The Ready handed out and not yet written. */
    Ready inflight;
    /** The application's state: how many entries of the global committed log it has applied. */
    int appCount;
    /** Scenario control: Readys it matches wait for {@link Cluster#writeHeld} instead of being written. */
    java.util.function.Predicate<Ready> holdWhen;
    long checkedEstablished = -1;
    long checkedServing = -1;
    /** For the trace: the role and leader of the last Ready. */
    Role lastRole;
    int lastLeader = -2;

    SimServer(int id, ZabConfig config) {
        this.id = id;
        this.config = config;
    }

    boolean up() {
        return node != null;
    }

    /** The zxid the application's state ends at. */
    long appZxid(Checker checker) {
        return appCount == 0 ? 0 : checker.global.get(appCount - 1).zxid();
    }

    @Override
    public String toString() {
        return node == null ? "server " + id + " down, disk " + disk.hardState + " last "
                + Zxid.toString(disk.lastZxid()) : node + " app=" + appCount;
    }
}
