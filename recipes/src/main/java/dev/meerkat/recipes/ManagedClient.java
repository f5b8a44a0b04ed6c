package dev.meerkat.recipes;

import dev.meerkat.client.ClientOptions;
import dev.meerkat.client.ConnectionState;
import dev.meerkat.client.ConnectionStateListener;
import dev.meerkat.client.MeerkatClient;
import dev.meerkat.client.MeerkatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A client that outlives its sessions: when the session expires it connects again, with a new
 * session, and tells its session listeners, so recipes such as {@link ServiceDiscovery} can put
 * their ephemerals back. A {@link MeerkatClient} is dead after EXPIRED; this is the way on.
 *
 * <pre>{@code
 * try (ManagedClient zk = ManagedClient.connect("zk1:2181,zk2:2181", ClientOptions.defaults())) {
 *     ServiceDiscovery discovery = new ServiceDiscovery(zk, "/services");
 * }
 * }</pre>
 */
public final class ManagedClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ManagedClient.class);

    private final String connectString;
    private final ClientOptions options;
    private final List<Consumer<MeerkatClient>> sessionListeners = new CopyOnWriteArrayList<>();
    private final List<ConnectionStateListener> stateListeners = new CopyOnWriteArrayList<>();
    private final boolean owned;
    private volatile MeerkatClient current;
    private volatile boolean closed;

    private ManagedClient(String connectString, ClientOptions options, MeerkatClient first, boolean owned) {
        this.connectString = connectString;
        this.options = options;
        this.owned = owned;
        adopt(first);
    }

    /**
     * Connects, and connects again with a new session each time the session expires.
     * {@code options} must not name a session to re-attach to.
     */
    public static ManagedClient connect(String connectString, ClientOptions options)
            throws MeerkatException, InterruptedException {
        if (options.sessionId() != 0) {
            throw new IllegalArgumentException("a managed client makes its own sessions");
        }
        return new ManagedClient(connectString, options, Nodes.get(MeerkatClient.connect(connectString, options)), true);
    }

    /**
     * Wraps a client the caller owns, without reconnecting after expiry: recipes on it work as
     * long as its session lasts.
     */
    public static ManagedClient of(MeerkatClient client) {
        return new ManagedClient(null, null, client, false);
    }

    /** The client of the current session; after an expiry a new one (or the dead one until it is ready). */
    public MeerkatClient current() {
        return current;
    }

    /** Called with each new session's client, after an expiry; on a thread of the new client. */
    public void addSessionListener(Consumer<MeerkatClient> listener) {
        sessionListeners.add(Objects.requireNonNull(listener));
    }

    /** Hears the connection states of whichever client is current. */
    public void addConnectionStateListener(ConnectionStateListener listener) {
        stateListeners.add(Objects.requireNonNull(listener));
    }

    private void adopt(MeerkatClient client) {
        current = client;
        client.addConnectionStateListener(state -> {
            if (client != current) {
                return;
            }
            stateListeners.forEach(l -> l.stateChanged(state));
            if (state == ConnectionState.EXPIRED && owned && !closed) {
                reconnect(0);
            }
        });
    }

    private void reconnect(int attempt) {
        if (closed) {
            return;
        }
        long delayMs = Math.min(5_000, 50L << Math.min(attempt, 7));
        CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(attempt == 0 ? 0 : delayMs, TimeUnit.MILLISECONDS))
                .thenCompose(ignored -> MeerkatClient.connect(connectString, options))
                .whenComplete((client, failure) -> {
                    if (failure != null) {
                        log.info("reconnecting after session expiry failed (attempt {}): {}", attempt + 1, failure.toString());
                        reconnect(attempt + 1);
                        return;
                    }
                    if (closed) {
                        client.close();
                        return;
                    }
                    log.info("new session 0x{} after expiry", Long.toHexString(client.sessionId()));
                    adopt(client);
                    sessionListeners.forEach(l -> l.accept(client));
                });
    }

    /** Closes the current client if this object made it. */
    @Override
    public void close() {
        closed = true;
        if (owned) {
            current.close();
        }
    }
}
