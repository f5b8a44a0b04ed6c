package dev.meerkat.recipes;

import dev.meerkat.client.MeerkatClient;
import dev.meerkat.client.MeerkatException;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A counting semaphore: at most {@code leases} holders at once across every process using the
 * path, served in arrival order. Everyone using one path must agree on the number of leases.
 *
 * <pre>{@code
 * Semaphore slots = new Semaphore(client, "/semaphores/db", 3);
 * try (Semaphore.Lease lease = slots.acquire()) {
 *     query();
 * }
 * }</pre>
 *
 * <p>Each lease is an ephemeral sequential node; the first {@code leases} nodes hold one. A waiter
 * watches the children list, because any of the holders may leave first (so a release wakes every
 * waiter; the lock does better, having a single predecessor to watch).
 * <p><b>Connection loss:</b> a lease may be lost while disconnected; waiters keep waiting across a
 * reconnect, and lost create replies are recovered by the node's uuid. <b>Session expiry:</b> the
 * nodes go, their leases pass to the next waiters; {@link Lease#close()} then does nothing and
 * waiting callers fail with SessionExpired. <b>Server failover:</b> a reconnect within the session
 * timeout; leases are kept.
 */
public final class Semaphore {
    /** One lease; closing it returns the lease. */
    public final class Lease implements AutoCloseable {
        private final String path;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Lease(String path) {
            this.path = path;
        }

        /** The node that holds this lease. */
        public String path() {
            return path;
        }

        @Override
        public void close() throws MeerkatException, InterruptedException {
            if (closed.compareAndSet(false, true)) {
                if (internals.client().state().isTerminal()) {
                    return; // the node went with the session
                }
                internals.release(path);
            }
        }
    }

    private final LockInternals internals;
    private final int leases;

    public Semaphore(MeerkatClient client, String path, int leases) {
        if (leases < 1) {
            throw new IllegalArgumentException("leases must be at least 1: " + leases);
        }
        this.leases = leases;
        this.internals = new LockInternals(client, path, "lease-", (sorted, i) ->
                i < this.leases ? LockInternals.Decision.ACQUIRED : LockInternals.Decision.WATCH_CHILDREN);
    }

    /** Waits as long as it takes for a lease. */
    public Lease acquire() throws MeerkatException, InterruptedException {
        return new Lease(internals.acquire(null, -1));
    }

    /** Waits up to {@code timeout} for a lease; null if none came. */
    public Lease tryAcquire(Duration timeout) throws MeerkatException, InterruptedException {
        String path = internals.acquire(null, Math.max(0, timeout.toNanos()));
        return path == null ? null : new Lease(path);
    }

    public int leases() {
        return leases;
    }

    /** Holders and waiters, holders first. */
    public List<String> participants() throws MeerkatException, InterruptedException {
        return internals.participants();
    }
}
