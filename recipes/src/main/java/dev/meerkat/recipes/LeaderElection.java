package dev.meerkat.recipes;

import dev.meerkat.client.ConnectionState;
import dev.meerkat.client.MeerkatClient;
import dev.meerkat.client.MeerkatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Leader election among the participants that share a path: at most one of them is leader at a
 * time (among live sessions), and when the leader's session ends the next in line takes over.
 *
 * <p>Two styles. <b>Callback</b>: the {@link Task} runs on the election's own thread while this
 * participant leads, and returning from it gives leadership up (the participant then queues again):
 * <pre>{@code
 * LeaderElection master = LeaderElection.withTask(client, "/jobs/nightly/master", "worker-1", ctx -> {
 *     while (ctx.hasLeadership()) runOneBatch();   // stop when interrupted or told
 * });
 * master.start();
 * }</pre>
 * <b>Latch</b>: the participant holds leadership until it closes or loses its connection:
 * <pre>{@code
 * LeaderElection latch = LeaderElection.latch(client, "/jobs/nightly/master", "worker-1");
 * latch.start();
 * if (latch.await(Duration.ofSeconds(10))) { ... latch.hasLeadership() ... }
 * }</pre>
 *
 * <p>Each participant is an ephemeral sequential node (its data the participant id); the oldest
 * leads; everybody else watches only the node just before its own.
 * <p><b>Connection loss (SUSPENDED):</b> a leader must assume it is no longer one, since its
 * session may expire on the servers while it cannot hear about it. So at once {@link
 * Listener#notLeader()} is called, {@link #hasLeadership()} turns false and the task's thread is
 * interrupted (a task must stop when interrupted or when {@link Context#hasLeadership()} is false).
 * Its node is then deleted and it queues again behind the others: leadership is regained only by
 * winning again. <b>Session expiry:</b> the node vanishes and the next participant leads; this
 * election stops for good (the client is dead; make a new client and election).
 * <b>Server failover:</b> a connection loss and a reconnect: as above, leadership passes on.
 */
public final class LeaderElection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);

    /** What the leader's task may ask while it runs. */
    public interface Context {
        String participantId();

        /** False as soon as leadership is given up or may be lost (connection suspended, close). */
        boolean hasLeadership();
    }

    /** The work a leader does; returning gives leadership up. */
    @FunctionalInterface
    public interface Task {
        void takeLeadership(Context context) throws Exception;
    }

    /** Told when this participant becomes leader and when it stops being one; on any thread, keep it short. */
    public interface Listener {
        void isLeader();

        void notLeader();
    }

    private final LockInternals internals;
    private final String participantId;
    private final Task task;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Object monitor = new Object();
    private final Context context = new Context() {
        @Override
        public String participantId() {
            return participantId;
        }

        @Override
        public boolean hasLeadership() {
            return LeaderElection.this.hasLeadership();
        }
    };

    private final dev.meerkat.client.ConnectionStateListener stateListener = this::connectionChanged;
    private Thread thread;
    private boolean leader;
    private boolean inTask;
    private volatile boolean closed;

    private LeaderElection(MeerkatClient client, String path, String participantId, Task task) {
        this.internals = new LockInternals(client, path, "leader-", LockInternals.EXCLUSIVE);
        this.participantId = Objects.requireNonNull(participantId, "participantId");
        this.task = task;
        client.addConnectionStateListener(stateListener);
    }

    /** Callback style: {@code task} runs while this participant leads. */
    public static LeaderElection withTask(MeerkatClient client, String path, String participantId, Task task) {
        return new LeaderElection(client, path, participantId, Objects.requireNonNull(task, "task"));
    }

    /** Latch style: leads until closed or its connection is lost. */
    public static LeaderElection latch(MeerkatClient client, String path, String participantId) {
        return new LeaderElection(client, path, participantId, ctx -> new CountDownLatch(1).await());
    }

    public LeaderElection addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener));
        return this;
    }

    /** Joins the election, on a thread of its own. */
    public void start() {
        synchronized (monitor) {
            if (thread != null) {
                throw new IllegalStateException("already started");
            }
            thread = new Thread(this::participate, "leader-election-" + participantId);
            thread.setDaemon(true);
            thread.start();
        }
    }

    public String participantId() {
        return participantId;
    }

    public boolean hasLeadership() {
        synchronized (monitor) {
            return leader;
        }
    }

    /** Waits until this participant leads; false if the time ran out (or the election ended). */
    public boolean await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            while (!leader && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(monitor, left);
            }
            return leader;
        }
    }

    /** The ids of the participants, the leader first. */
    public List<String> participantIds() throws MeerkatException, InterruptedException {
        List<String> ids = new ArrayList<>();
        for (String name : internals.participants()) {
            try {
                byte[] data = Nodes.get(internals.client().getData(Nodes.join(internals.dir(), name))).data();
                ids.add(data == null ? "" : new String(data, StandardCharsets.UTF_8));
            } catch (MeerkatException.NoNode e) {
                // left meanwhile
            }
        }
        return ids;
    }

    /** The current leader's id, as the servers see it now. */
    public Optional<String> leaderId() throws MeerkatException, InterruptedException {
        List<String> ids = participantIds();
        return ids.isEmpty() ? Optional.empty() : Optional.of(ids.get(0));
    }

    private void participate() {
        byte[] id = participantId.getBytes(StandardCharsets.UTF_8);
        while (!closed) {
            String node;
            try {
                node = internals.acquire(id, -1);
            } catch (InterruptedException e) {
                continue; // close() interrupts; loop checks it
            } catch (MeerkatException e) {
                if (internals.client().state().isTerminal()) {
                    log.info("election {} of {} ends: {}", internals.dir(), participantId, e.getMessage());
                    break;
                }
                continue;
            }
            lead(node);
        }
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    private void lead(String node) {
        synchronized (monitor) {
            // a SUSPENDED that came while we were winning: our win may be void already
            if (closed || !internals.client().state().isConnected()) {
                Nodes.deleteInBackground(internals.client(), node);
                return;
            }
            leader = true;
            inTask = true;
            monitor.notifyAll();
        }
        listeners.forEach(Listener::isLeader);
        try {
            task.takeLeadership(context);
        } catch (InterruptedException e) {
            // told to stop
        } catch (Exception e) {
            log.warn("leader task of {} failed; giving leadership up", participantId, e);
        } finally {
            boolean tell;
            synchronized (monitor) {
                inTask = false;
                tell = leader;
                leader = false;
            }
            Thread.interrupted(); // an interrupt meant for the task must not hit the next attempt
            if (tell) {
                listeners.forEach(Listener::notLeader);
            }
            try {
                internals.release(node);
            } catch (InterruptedException e) {
                Nodes.deleteInBackground(internals.client(), node);
            } catch (MeerkatException e) {
                // the session is gone and the node with it
            }
        }
    }

    private void connectionChanged(ConnectionState state) {
        if (state.isConnected()) {
            return;
        }
        boolean tell;
        synchronized (monitor) {
            tell = leader;
            leader = false;
            if (inTask) {
                thread.interrupt();
            }
        }
        if (tell) {
            listeners.forEach(Listener::notLeader);
        }
    }

    /** Leaves the election: stops the task (interrupting it), deletes the node and ends the thread. */
    @Override
    public void close() throws InterruptedException {
        Thread t;
        synchronized (monitor) {
            if (closed) {
                return;
            }
            closed = true;
            t = thread;
            monitor.notifyAll();
        }
        if (t != null) {
            t.interrupt();
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        internals.client().removeConnectionStateListener(stateListener);
    }
}
