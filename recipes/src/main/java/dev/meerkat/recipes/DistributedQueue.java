package dev.meerkat.recipes;

import dev.meerkat.client.ConnectionStateListener;
import dev.meerkat.client.MeerkatClient;
import dev.meerkat.client.MeerkatException;
import dev.meerkat.client.OpResult;
import dev.meerkat.protocol.CreateMode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A FIFO queue of byte arrays shared by any number of producers and consumers. Each item is a
 * persistent sequential child {@code _c_<uuid>-item-<seq>} of the queue's node; the sequence number
 * orders them. A consumer takes the oldest item by deleting it: of several consumers after the same
 * item only one delete succeeds, and that one owns the item, so each item is consumed once.
 *
 * <pre>{@code
 * DistributedQueue jobs = new DistributedQueue(client, "/queues/jobs");
 * jobs.offer("resize 42".getBytes(UTF_8));
 * byte[] job = jobs.take(Duration.ofSeconds(5));   // null if nothing came
 * }</pre>
 *
 * <p>The delete is made together with an ephemeral claim node {@code _claims/<item>} naming the
 * consumer (one transaction), so that a consumer whose delete reply is lost can tell after the
 * reconnect whether the item is its own.
 * <p><b>Connection loss:</b> offers are recovered by their uuid (never added twice); a take whose
 * reply is lost is settled by the claim as above; waiting consumers keep waiting. <b>Session
 * expiry:</b> items are persistent and stay; an item whose take reply was lost in the very
 * connection drop that ended the session is lost with the claim (the only at-most-once case).
 * <b>Server failover:</b> a reconnect; as connection loss.
 */
public final class DistributedQueue {
    private static final String ITEM = "item-";
    private static final String CLAIMS = "_claims";
    /** What {@code tryConsume} returns when the connection dropped before anything was taken. */
    private static final byte[] RETRY = new byte[0];

    /** A wait without a deadline. */
    private static final long FOREVER = Long.MAX_VALUE;

    private final MeerkatClient client;
    private final String path;
    private final String claims;
    private final byte[] consumerId = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);

    public DistributedQueue(MeerkatClient client, String path) {
        this.client = client;
        this.path = path;
        this.claims = Nodes.join(path, CLAIMS);
    }

    /** Adds an item at the tail. */
    public void offer(byte[] item) throws MeerkatException, InterruptedException {
        Nodes.createProtected(client, path, ITEM, item, CreateMode.PERSISTENT_SEQUENTIAL);
    }

    /** Takes the head item, or null at once if the queue is empty. */
    public byte[] poll() throws MeerkatException, InterruptedException {
        return take(0, null);
    }

    /** Takes the head item, waiting up to {@code timeout} for one; null if none came. */
    public byte[] take(Duration timeout) throws MeerkatException, InterruptedException {
        return take(Math.max(0, timeout.toNanos()), null);
    }

    /** Takes the head item, waiting as long as it takes. */
    public byte[] take() throws MeerkatException, InterruptedException {
        return take(-1, null);
    }

    private byte[] take(long timeoutNanos, Void unused) throws MeerkatException, InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        Nodes.ensurePath(client, claims);
        for (;;) {
            CountDownLatch changed = new CountDownLatch(1);
            List<String> items;
            try {
                items = Nodes.sortedSequential(Nodes.get(client.getChildren(path, event -> changed.countDown())));
            } catch (MeerkatException e) {
                if (Nodes.isConnectionLoss(e)) {
                    continue;
                }
                throw e;
            }
            boolean retry = false;
            for (String name : items) {
                byte[] data = tryConsume(name);
                if (data == RETRY) {
                    retry = true; // the connection dropped: list again once it is back
                    break;
                }
                if (data != null) {
                    return data;
                }
            }
            if (retry) {
                continue;
            }
            if (timeoutNanos == 0) {
                return null;
            }
            if (!await(changed, timeoutNanos < 0 ? FOREVER : deadline - System.nanoTime())) {
                return null;
            }
        }
    }

    /** The item's data if this consumer got it, else null (somebody else did). */
    private byte[] tryConsume(String name) throws MeerkatException, InterruptedException {
        String item = Nodes.join(path, name);
        String claim = Nodes.join(claims, name);
        byte[] data;
        try {
            data = Nodes.get(client.getData(item)).data();
        } catch (MeerkatException.NoNode e) {
            return null;
        } catch (MeerkatException e) {
            if (Nodes.isConnectionLoss(e)) {
                return RETRY;
            }
            throw e;
        }
        for (;;) {
            try {
                List<OpResult> ignored = Nodes.get(client.transaction()
                        .delete(item, -1)
                        .create(claim, consumerId, CreateMode.EPHEMERAL)
                        .commit());
                Nodes.deleteInBackground(client, claim);
                return data == null ? new byte[0] : data;
            } catch (MeerkatException e) {
                if (!Nodes.isConnectionLoss(e)) {
                    return null; // NoNode: another consumer was first (or a stale claim: somebody else's)
                }
            }
            // the reply was lost: did our transaction happen? Our claim says so; only we remove it
            if (claimedByUs(claim)) {
                Nodes.deleteInBackground(client, claim);
                return data == null ? new byte[0] : data;
            }
            // it did not; try again (if somebody else took the item meanwhile, the delete fails)
        }
    }

    private boolean claimedByUs(String claim) throws MeerkatException, InterruptedException {
        for (;;) {
            try {
                return java.util.Arrays.equals(Nodes.get(client.getData(claim)).data(), consumerId);
            } catch (MeerkatException.NoNode e) {
                return false;
            } catch (MeerkatException e) {
                if (!Nodes.isConnectionLoss(e)) {
                    throw e;
                }
            }
        }
    }

    private boolean await(CountDownLatch changed, long remainingNanos) throws InterruptedException {
        ConnectionStateListener ended = state -> {
            if (state.isTerminal()) {
                changed.countDown();
            }
        };
        client.addConnectionStateListener(ended);
        try {
            if (client.state().isTerminal()) {
                return true;
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

    /** The data of the head item without taking it, or null when empty. */
    public byte[] peek() throws MeerkatException, InterruptedException {
        for (String name : items()) {
            try {
                byte[] data = Nodes.get(client.getData(Nodes.join(path, name))).data();
                return data == null ? new byte[0] : data;
            } catch (MeerkatException.NoNode e) {
                // taken meanwhile
            }
        }
        return null;
    }

    /** How many items wait. */
    public int size() throws MeerkatException, InterruptedException {
        return items().size();
    }

    private List<String> items() throws MeerkatException, InterruptedException {
        try {
            return Nodes.sortedSequential(Nodes.get(client.getChildren(path)));
        } catch (MeerkatException.NoNode e) {
            return List.of();
        }
    }
}
