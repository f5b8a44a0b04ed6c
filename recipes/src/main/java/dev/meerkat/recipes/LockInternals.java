package dev.meerkat.recipes;

import dev.meerkat.client.ConnectionStateListener;
import dev.meerkat.client.MeerkatClient;
import dev.meerkat.client.MeerkatException;
import dev.meerkat.client.Watcher;
import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.CreateMode;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The queue every lock-like recipe stands in: each contender creates an ephemeral sequential child
 * of one directory and a {@link Rule} decides, from its place among the children, whether it holds
 * the lock or which single node it must wait for. Waiting on one predecessor (rather than on the
 * children list) is what keeps a release from waking more than one waiter.
 */
final class LockInternals {
    /** Given the sequential children oldest first and our index, whether we hold it or what to watch. */
    interface Rule {
        Decision decide(List<String> sorted, int ownIndex);
    }

    /**
     * {@code acquired}, or the name of the child to wait for; a null name with {@code acquired}
     * false means "wait for any change of the children" (for rules that need a count).
     */
    record Decision(boolean acquired, String watch) {
        static final Decision ACQUIRED = new Decision(true, null);
        static final Decision WATCH_CHILDREN = new Decision(false, null);

        static Decision waitFor(String name) {
            return new Decision(false, name);
        }
    }

    /** The lock's rule: the oldest child holds it; everybody else waits for the one just before. */
    static final Rule EXCLUSIVE = (sorted, i) -> i == 0 ? Decision.ACQUIRED : Decision.waitFor(sorted.get(i - 1));

    /** A wait without a deadline. */
    private static final long FOREVER = Long.MAX_VALUE;

    private final MeerkatClient client;
    private final String dir;
    private final String prefix;
    private final Rule rule;
    private final AtomicLong wakeups = new AtomicLong();

    LockInternals(MeerkatClient client, String dir, String prefix, Rule rule) {
        this.client = client;
        this.dir = dir;
        this.prefix = prefix;
        this.rule = rule;
    }

    MeerkatClient client() {
        return client;
    }

    String dir() {
        return dir;
    }

    /** How many times a watch set while waiting has fired: one per waiter woken. */
    long wakeups() {
        return wakeups.get();
    }

    /**
     * Joins the queue and waits until the rule says we hold it.
     *
     * @param timeoutNanos how long to wait, or negative for as long as it takes
     * @return the path of our node, or null when the time ran out (our node is then removed)
     */
    String acquire(byte[] data, long timeoutNanos) throws MeerkatException, InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        String ours = Nodes.createProtected(client, dir, prefix, data, CreateMode.EPHEMERAL_SEQUENTIAL);
        String ourName = Nodes.name(ours);
        boolean holding = false;
        try {
            for (;;) {
                List<String> sorted;
                try {
                    sorted = Nodes.sortedSequential(Nodes.get(client.getChildren(dir)));
                } catch (MeerkatException e) {
                    if (Nodes.isConnectionLoss(e)) {
                        continue; // the next call waits for the reconnect or fails with SessionExpired
                    }
                    throw e;
                }
                int index = sorted.indexOf(ourName);
                if (index < 0) {
                    // our ephemeral is gone: the session ended, or somebody deleted it
                    throw MeerkatException.of(Code.NONODE, ours, "lock node vanished while waiting");
                }
                Decision decision = rule.decide(sorted, index);
                if (decision.acquired()) {
                    holding = true;
                    return ours;
                }
                CountDownLatch changed = new CountDownLatch(1);
                Watcher watcher = event -> {
                    wakeups.incrementAndGet();
                    changed.countDown();
                };
                try {
                    if (decision.watch() != null) {
                        // getData rather than exists: it leaves no watch behind when the node is already gone
                        Nodes.get(client.getData(Nodes.join(dir, decision.watch()), watcher));
                    } else if (!Nodes.sortedSequential(Nodes.get(client.getChildren(dir, watcher))).equals(sorted)) {
                        continue;
                    }
                } catch (MeerkatException.NoNode e) {
                    continue;
                } catch (MeerkatException e) {
                    if (Nodes.isConnectionLoss(e)) {
                        continue;
                    }
                    throw e;
                }
                if (!await(changed, timeoutNanos < 0 ? FOREVER : deadline - System.nanoTime())) {
                    return null;
                }
            }
        } finally {
            if (!holding) {
                Nodes.deleteInBackground(client, ours);
            }
        }
    }

    /**
     * Waits for a watch to fire, or for the session to end (its watches never will then).
     *
     * @return false when the time ran out
     */
    private boolean await(CountDownLatch changed, long remainingNanos) throws InterruptedException {
        ConnectionStateListener ended = state -> {
            if (state.isTerminal()) {
                changed.countDown();
            }
        };
        client.addConnectionStateListener(ended);
        try {
            if (client.state().isTerminal()) {
                return true; // the next request fails with SessionExpired
            }
            if (remainingNanos == FOREVER) {
                changed.await();
                return true;
            }
            return remainingNanos > 0 && changed.await(remainingNanos, TimeUnit.NANOSECONDS);
        } finally {
            client.removeConnectionStateListener(ended);
        }
    }

    /** Leaves the queue: deletes our node, repeating across reconnects. */
    void release(String ours) throws MeerkatException, InterruptedException {
        Nodes.deleteIfExists(client, ours);
    }

    /** The contenders' nodes, oldest first. */
    List<String> participants() throws MeerkatException, InterruptedException {
        try {
            return Nodes.sortedSequential(Nodes.get(client.getChildren(dir)));
        } catch (MeerkatException.NoNode e) {
            return List.of();
        }
    }
}
