package dev.meerkat.recipes;

import dev.meerkat.client.ConnectionStateListener;
import dev.meerkat.client.MeerkatClient;
import dev.meerkat.client.MeerkatException;
import dev.meerkat.client.Watcher;
import dev.meerkat.protocol.CreateMode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A double barrier: {@link #enter} returns once {@code memberCount} members have arrived, so they
 * start together; {@link #leave} returns once every member has left, so they finish together.
 *
 * <pre>{@code
 * DoubleBarrier round = new DoubleBarrier(client, "/barriers/round-7", 4);
 * round.enter(Duration.ofMinutes(1));
 * compute();
 * round.leave(Duration.ofMinutes(1));
 * }</pre>
 *
 * <p>Each member is an ephemeral child; the member that makes the count creates the persistent
 * {@code ready} node, whose creation wakes the others; the last to leave deletes it. Use a fresh
 * path per round.
 * <p><b>Connection loss:</b> waits continue across a reconnect (watches are re-registered).
 * <b>Session expiry:</b> the member's node vanishes, which counts as leaving; its own calls fail
 * with SessionExpired. <b>Server failover:</b> a reconnect; as connection loss.
 */
public final class DoubleBarrier {
    private static final String READY = "ready";

    private final MeerkatClient client;
    private final String path;
    private final int memberCount;
    private final String memberPath;
    private final String readyPath;

    public DoubleBarrier(MeerkatClient client, String path, int memberCount) {
        if (memberCount < 1) {
            throw new IllegalArgumentException("memberCount must be at least 1");
        }
        this.client = client;
        this.path = path;
        this.memberCount = memberCount;
        this.memberPath = Nodes.join(path, UUID.randomUUID().toString());
        this.readyPath = Nodes.join(path, READY);
    }

    /**
     * Arrives and waits until {@code memberCount} members have.
     *
     * @return false if the time ran out (this member then leaves again)
     */
    public boolean enter(Duration timeout) throws MeerkatException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Nodes.ensurePath(client, path);
        boolean joined = false;
        for (;;) {
            CountDownLatch changed = new CountDownLatch(1);
            Watcher watcher = event -> changed.countDown();
            try {
                // watch "ready" before counting, so a creation after the count is not missed
                if (Nodes.get(client.exists(readyPath, watcher)).isPresent()) {
                    ensureJoined(joined);
                    return true;
                }
                if (!joined) {
                    ensureJoined(false);
                    joined = true;
                }
                if (members().size() >= memberCount) {
                    try {
                        Nodes.get(client.create(readyPath, null, CreateMode.PERSISTENT));
                    } catch (MeerkatException.NodeExists e) {
                        // another member made the count too
                    }
                    return true;
                }
            } catch (MeerkatException e) {
                if (Nodes.isConnectionLoss(e)) {
                    continue;
                }
                throw e;
            }
            if (!await(changed, deadline - System.nanoTime())) {
                Nodes.deleteIfExists(client, memberPath);
                return false;
            }
        }
    }

    private void ensureJoined(boolean joined) throws MeerkatException, InterruptedException {
        if (joined) {
            return;
        }
        try {
            Nodes.get(client.create(memberPath, null, CreateMode.EPHEMERAL));
        } catch (MeerkatException.NodeExists e) {
            // a repeat after a lost reply
        }
    }

    /**
     * Leaves and waits until every member has.
     *
     * @return false if the time ran out first
     */
    public boolean leave(Duration timeout) throws MeerkatException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Nodes.deleteIfExists(client, memberPath);
        for (;;) {
            CountDownLatch changed = new CountDownLatch(1);
            try {
                List<String> left = members(Nodes.get(client.getChildren(path, event -> changed.countDown())));
                if (left.isEmpty()) {
                    Nodes.deleteIfExists(client, readyPath);
                    return true;
                }
            } catch (MeerkatException.NoNode e) {
                return true;
            } catch (MeerkatException e) {
                if (Nodes.isConnectionLoss(e)) {
                    continue;
                }
                throw e;
            }
            if (!await(changed, deadline - System.nanoTime())) {
                return false;
            }
        }
    }

    private List<String> members() throws MeerkatException, InterruptedException {
        return members(Nodes.get(client.getChildren(path)));
    }

    private static List<String> members(List<String> children) {
        List<String> out = new ArrayList<>(children);
        out.remove(READY);
        return out;
    }

    private boolean await(CountDownLatch changed, long remainingNanos) throws InterruptedException {
        ConnectionStateListener ended = state -> {
            if (state.isTerminal()) {
                changed.countDown();
            }
        };
        client.addConnectionStateListener(ended);
        try {
            return client.state().isTerminal() || (remainingNanos > 0 && changed.await(remainingNanos, TimeUnit.NANOSECONDS));
        } finally {
            client.removeConnectionStateListener(ended);
        }
    }
}
