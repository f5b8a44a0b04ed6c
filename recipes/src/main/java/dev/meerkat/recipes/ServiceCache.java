package dev.meerkat.recipes;

import dev.meerkat.client.ConnectionState;
import dev.meerkat.client.MeerkatClient;
import dev.meerkat.client.MeerkatException;
import dev.meerkat.client.WatchedEvent;
import dev.meerkat.client.Watcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The live instances of one service, kept in memory and fresh by a child watch on the service's
 * node: reads cost nothing and listeners hear instances come and go.
 *
 * <p><b>Connection loss:</b> the cache keeps what it last saw (it may be stale while disconnected)
 * and reads again on reconnect. <b>Session expiry:</b> with a managed client it reads again on
 * the new session; otherwise it stays as it was. <b>Server failover:</b> a reconnect.
 */
public final class ServiceCache implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServiceCache.class);

    /** Told of instances that appear and disappear, in order, on the cache's own thread. */
    public interface Listener {
        void instanceUp(ServiceInstance instance);

        void instanceDown(ServiceInstance instance);
    }

    private final ManagedClient managed;
    private final String path;
    private final ExecutorService worker;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** Written by the worker only. */
    private final Map<String, ServiceInstance> byId = new HashMap<>();
    private volatile List<ServiceInstance> snapshot = List.of();
    /** One object, so repeated registrations of the child watch fire it once. */
    private final Watcher childWatcher = this::childrenChanged;
    private volatile boolean closed;

    ServiceCache(ManagedClient managed, String path) {
        this.managed = managed;
        this.path = path;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "service-cache" + path.replace('/', '-'));
            t.setDaemon(true);
            return t;
        });
        managed.addConnectionStateListener(state -> {
            if (state == ConnectionState.RECONNECTED) {
                refreshSoon();
            }
        });
        managed.addSessionListener(client -> refreshSoon());
    }

    void start() throws MeerkatException, InterruptedException {
        Nodes.ensurePath(managed.current(), path);
        try {
            worker.submit(() -> {
                refresh();
                return null;
            }).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    /** The instances as last seen, by id. */
    public List<ServiceInstance> instances() {
        return snapshot;
    }

    public Optional<ServiceInstance> instance(String id) {
        return snapshot.stream().filter(i -> i.id().equals(id)).findFirst();
    }

    private void childrenChanged(WatchedEvent event) {
        refreshSoon();
    }

    void refreshSoon() {
        if (!closed) {
            try {
                worker.execute(this::refresh);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
    }

    private void refresh() {
        if (closed) {
            return;
        }
        MeerkatClient client = managed.current();
        try {
            List<String> ids;
            try {
                ids = Nodes.get(client.getChildren(path, childWatcher));
            } catch (MeerkatException.NoNode e) {
                Nodes.ensurePath(client, path);
                refreshSoon();
                return;
            }
            List<ServiceInstance> down = new ArrayList<>();
            for (String id : List.copyOf(byId.keySet())) {
                if (!ids.contains(id)) {
                    down.add(byId.remove(id));
                }
            }
            List<ServiceInstance> up = new ArrayList<>();
            for (String id : ids) {
                if (!byId.containsKey(id)) {
                    Optional<ServiceInstance> instance = ServiceDiscovery.read(client, Nodes.join(path, id));
                    instance.ifPresent(i -> {
                        byId.put(id, i);
                        up.add(i);
                    });
                }
            }
            List<ServiceInstance> all = new ArrayList<>(byId.values());
            all.sort(Comparator.comparing(ServiceInstance::id));
            snapshot = List.copyOf(all);
            for (ServiceInstance i : down) {
                listeners.forEach(l -> l.instanceDown(i));
            }
            for (ServiceInstance i : up) {
                listeners.forEach(l -> l.instanceUp(i));
            }
        } catch (MeerkatException e) {
            // on ConnectionLoss the RECONNECTED listener reads again; on expiry the new session does
            log.debug("refresh of {} failed: {}", path, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        worker.shutdownNow();
    }
}
