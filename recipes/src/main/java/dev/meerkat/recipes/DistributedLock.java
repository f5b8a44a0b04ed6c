package dev.meerkat.recipes;

import dev.meerkat.client.ConnectionState;
import dev.meerkat.client.MeerkatClient;
import dev.meerkat.client.MeerkatException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fair, reentrant, mutually exclusive lock shared by every process that uses the same path.
 *
 * <pre>{@code
 * DistributedLock lock = new DistributedLock(client, "/locks/orders", event -> {
 *     if (event != DistributedLock.Event.RESTORED) stopWorking();
 * });
 * lock.lock();
 * try { work(); } finally { lock.unlock(); }
 * }</pre>
 *
 * <p>Each contender creates an ephemeral sequential child {@code _c_<uuid>-lock-<seq>} of the path
 * and holds the lock while its child is the oldest; otherwise it watches only the child just
 * before its own, so a release wakes exactly one waiter (no herd). Waiters are served in the order
 * they arrived. The owner is the thread: a thread that holds the lock may take it again and must
 * unlock as many times; another thread of the same process queues like another process would.
 *
 * <p><b>Connection loss.</b> While disconnected the lock may be lost at any moment (the session
 * may expire on the servers), so the listener hears {@link Event#SUSPENDED} and the holder must
 * stop acting as one. On reconnection the lock checks its node: {@link Event#RESTORED} if it is
 * still there (the lock was never lost), {@link Event#LOST} if not. A create whose reply is lost is
 * recovered by its uuid instead of being repeated, so no orphan node blocks the queue. A waiter
 * keeps waiting across a reconnect (its watch is re-registered by the client).
 * <p><b>Session expiry.</b> The node is deleted by the servers and the next waiter gets the lock;
 * the holder's listener hears {@link Event#LOST}; {@link #isHeldByCurrentThread()} is false from
 * then on and {@link #unlock()} only forgets the hold. A waiter's {@code lock()} fails with
 * SessionExpired. The client is dead: make a new client and a new lock.
 * <p><b>Server failover.</b> Seen by the client as a connection loss followed by a reconnect to
 * another server of the ensemble within the session timeout: SUSPENDED then RESTORED.
 */
public final class DistributedLock {
    /** What the holder is told about its hold when the connection changes. */
    public enum Event {
        /** The connection dropped; the lock may be lost. Stop acting as the holder until RESTORED. */
        SUSPENDED,
        /** Reconnected with the node still there: the lock was held all along. */
        RESTORED,
        /** The node is gone (session expired, or deleted by someone): the lock is no longer held. */
        LOST
    }

    /** Told of the holder's {@link Event}s, on the client's event thread; keep it short. */
    @FunctionalInterface
    public interface Listener {
        void lockEvent(Event event);
    }

    private static final class Hold {
        final String path;
        int count = 1;
        volatile boolean lost;

        Hold(String path) {
            this.path = path;
        }
    }

    private final LockInternals internals;
    private final Listener listener;
    private final Map<Thread, Hold> holds = new ConcurrentHashMap<>();

    /** A lock on {@code path} without a listener. */
    public DistributedLock(MeerkatClient client, String path) {
        this(client, path, event -> { });
    }

    public DistributedLock(MeerkatClient client, String path, Listener listener) {
        this(new LockInternals(client, path, "lock-", LockInternals.EXCLUSIVE), listener);
    }

    DistributedLock(LockInternals internals, Listener listener) {
        this.internals = internals;
        this.listener = Objects.requireNonNull(listener, "listener");
        internals.client().addConnectionStateListener(this::connectionChanged);
    }

    /** Waits as long as it takes for the lock. */
    public void lock() throws MeerkatException, InterruptedException {
        acquire(-1);
    }

    /**
     * Waits up to {@code timeout} for the lock.
     *
     * @return whether it is now held; on false nothing is left behind in the queue
     */
    public boolean tryLock(Duration timeout) throws MeerkatException, InterruptedException {
        return acquire(Math.max(0, timeout.toNanos()));
    }

    private boolean acquire(long timeoutNanos) throws MeerkatException, InterruptedException {
        Thread me = Thread.currentThread();
        Hold hold = holds.get(me);
        if (hold != null && !hold.lost) {
            hold.count++;
            return true;
        }
        String path = internals.acquire(me.getName().getBytes(StandardCharsets.UTF_8), timeoutNanos);
        if (path == null) {
            return false;
        }
        holds.put(me, new Hold(path));
        return true;
    }

    /**
     * Gives up one hold of the calling thread; the last one deletes the node, waking the next
     * waiter. After the lock was LOST this only forgets the hold.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold it
     */
    public void unlock() throws MeerkatException, InterruptedException {
        Thread me = Thread.currentThread();
        Hold hold = holds.get(me);
        if (hold == null) {
            throw new IllegalMonitorStateException("not held by " + me.getName() + ": " + internals.dir());
        }
        if (--hold.count > 0) {
            return;
        }
        holds.remove(me);
        if (hold.lost) {
            Nodes.deleteInBackground(internals.client(), hold.path);
            return;
        }
        internals.release(hold.path);
    }

    /** Whether the calling thread holds the lock (and it has not been LOST). */
    public boolean isHeldByCurrentThread() {
        Hold hold = holds.get(Thread.currentThread());
        return hold != null && !hold.lost;
    }

    /** How many holds the calling thread has. */
    public int holdCount() {
        Hold hold = holds.get(Thread.currentThread());
        return hold == null || hold.lost ? 0 : hold.count;
    }

    /** The nodes in the queue, holder first (every process's, not only this object's). */
    public List<String> participants() throws MeerkatException, InterruptedException {
        return internals.participants();
    }

    /**
     * How many times a watch this lock set while waiting has fired. One release of the lock wakes
     * one waiter, so across all contenders this grows by one per release: a measure of the herd.
     */
    public long watchWakeups() {
        return internals.wakeups();
    }

    public String path() {
        return internals.dir();
    }

    private void connectionChanged(ConnectionState state) {
        if (holds.isEmpty()) {
            return;
        }
        switch (state) {
            case SUSPENDED -> listener.lockEvent(Event.SUSPENDED);
            case RECONNECTED -> checkHolds();
            case EXPIRED, CLOSED -> {
                boolean any = false;
                for (Hold h : holds.values()) {
                    any |= !h.lost;
                    h.lost = true;
                }
                if (any) {
                    listener.lockEvent(Event.LOST);
                }
            }
            default -> { }
        }
    }

    /** After a reconnect: is every node we hold still there? Asynchronous, we are on the event thread. */
    private void checkHolds() {
        List<Hold> current = new ArrayList<>(holds.values());
        MeerkatClient client = internals.client();
        List<CompletableFuture<Boolean>> checks = new ArrayList<>();
        for (Hold h : current) {
            checks.add(client.exists(h.path).handle((stat, failure) -> {
                // a failure here means a new disconnection, which will be reported in its turn
                boolean gone = failure == null && (stat.isEmpty() || stat.get().ephemeralOwner() != client.sessionId());
                if (gone) {
                    h.lost = true;
                }
                return gone;
            }));
        }
        CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new))
                .whenComplete((ok, failure) -> {
                    boolean lost = checks.stream().anyMatch(CompletableFuture::join);
                    if (client.state().isConnected()) {
                        listener.lockEvent(lost ? Event.LOST : Event.RESTORED);
                    }
                });
    }
}
