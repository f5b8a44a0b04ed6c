package dev.meerkat.recipes;

import dev.meerkat.client.ConnectionStateListener;
import dev.meerkat.client.MeerkatClient;
import dev.meerkat.client.MeerkatException;
import dev.meerkat.protocol.CreateMode;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A barrier that holds everybody back while its node exists: a coordinator {@link #set()}s it,
 * workers {@link #waitOnBarrier} it, and {@link #remove()} lets them all go at once.
 *
 * <pre>{@code
 * Barrier start = new Barrier(client, "/barriers/nightly");
 * start.set();                           // coordinator
 * start.waitOnBarrier(Duration.ofMinutes(1));   // workers
 * start.remove();                        // coordinator: go
 * }</pre>
 *
 * <p>The node is persistent. <b>Connection loss:</b> waiters keep waiting; their exists watch is
 * re-registered on reconnect and fires if the barrier went meanwhile. <b>Session expiry:</b> the
 * barrier stays (it is not ephemeral); waiting calls fail with SessionExpired. <b>Server
 * failover:</b> a reconnect; as connection loss.
 */
public final class Barrier {
    private final MeerkatClient client;
    private final String path;

    public Barrier(MeerkatClient client, String path) {
        this.client = client;
        this.path = path;
    }

    /** Raises the barrier (no-op if it is up). */
    public void set() throws MeerkatException, InterruptedException {
        for (;;) {
            try {
                Nodes.get(client.create(path, null, CreateMode.PERSISTENT));
                return;
            } catch (MeerkatException.NodeExists e) {
                return;
            } catch (MeerkatException.NoNode e) {
                Nodes.ensurePath(client, Nodes.parent(path));
            } catch (MeerkatException e) {
                if (!Nodes.isConnectionLoss(e)) {
                    throw e;
                }
            }
        }
    }

    /** Lowers the barrier, releasing every waiter. */
    public void remove() throws MeerkatException, InterruptedException {
        Nodes.deleteIfExists(client, path);
    }

    /**
     * Waits until the barrier is removed (returns at once if it is not up).
     *
     * @return false if the time ran out first
     */
    public boolean waitOnBarrier(Duration timeout) throws MeerkatException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (;;) {
            CountDownLatch changed = new CountDownLatch(1);
            ConnectionStateListener ended = state -> {
                if (state.isTerminal()) {
                    changed.countDown();
                }
            };
            try {
                if (Nodes.get(client.exists(path, event -> changed.countDown())).isEmpty()) {
                    return true;
                }
            } catch (MeerkatException e) {
                if (Nodes.isConnectionLoss(e)) {
                    continue;
                }
                throw e;
            }
            client.addConnectionStateListener(ended);
            try {
                long left = deadline - System.nanoTime();
                if (!client.state().isTerminal() && (left <= 0 || !changed.await(left, TimeUnit.NANOSECONDS))) {
                    return false;
                }
            } finally {
                client.removeConnectionStateListener(ended);
            }
        }
    }

    /** Whether the barrier is up. */
    public boolean isSet() throws MeerkatException, InterruptedException {
        return Nodes.get(client.exists(path)).isPresent();
    }
}
