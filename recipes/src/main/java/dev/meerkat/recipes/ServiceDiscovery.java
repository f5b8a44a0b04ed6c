package dev.meerkat.recipes;

import dev.meerkat.client.ConnectionState;
import dev.meerkat.client.MeerkatClient;
import dev.meerkat.client.MeerkatException;
import dev.meerkat.protocol.CreateMode;
import dev.meerkat.protocol.record.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Service registration and lookup. A provider registers each of its instances as an ephemeral node
 * {@code <base>/<name>/<id>} holding the instance as JSON; consumers list the live instances, or
 * keep a {@link ServiceCache} fresh by watches and pick one with a {@link ServiceProvider}.
 *
 * <pre>{@code
 * ServiceDiscovery discovery = new ServiceDiscovery(managedClient, "/services");
 * discovery.register(new ServiceInstance("OrderService", "orders-1", "10.0.0.5", 8080));
 * ServiceProvider orders = discovery.provider("OrderService", ProviderStrategy.roundRobin());
 * ServiceInstance target = orders.getInstance().orElseThrow();
 * }</pre>
 *
 * <p><b>Connection loss:</b> registrations stay (their session lives on), caches keep serving
 * what they last saw and refresh on reconnect. <b>Session expiry:</b> the servers delete the
 * instances' nodes, so consumers see them go; with a {@link ManagedClient#connect managed client}
 * a new session is made and every instance registered here is registered again (a node left by the
 * old session is replaced), and caches re-read. With {@link ManagedClient#of a plain client} both
 * stop working. <b>Server failover:</b> a reconnect within the session timeout; nothing is lost.
 */
public final class ServiceDiscovery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServiceDiscovery.class);

    private final ManagedClient managed;
    private final String basePath;
    private final Map<String, ServiceInstance> registered = new ConcurrentHashMap<>();
    /** Sessions this object had; a node owned by one of them is ours to replace. */
    private final Set<Long> pastSessions = ConcurrentHashMap.newKeySet();
    private final List<ServiceCache> caches = new CopyOnWriteArrayList<>();
    private final ExecutorService worker;
    private volatile boolean closed;

    public ServiceDiscovery(ManagedClient client, String basePath) {
        this.managed = client;
        this.basePath = basePath;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "service-discovery" + basePath.replace('/', '-'));
            t.setDaemon(true);
            return t;
        });
        pastSessions.add(client.current().sessionId());
        client.addSessionListener(newClient -> worker.execute(this::reregisterAll));
        client.addConnectionStateListener(state -> {
            if (state == ConnectionState.RECONNECTED) {
                worker.execute(this::reregisterAll); // puts back anything lost to a create whose reply was lost
            }
        });
    }

    public ServiceDiscovery(MeerkatClient client, String basePath) {
        this(ManagedClient.of(client), basePath);
    }

    String servicePath(String name) {
        return Nodes.join(basePath, name);
    }

    private String instancePath(ServiceInstance instance) {
        return Nodes.join(servicePath(instance.name()), instance.id());
    }

    /**
     * Registers (or updates) an instance; it stays registered until {@link #unregister}, close, or
     * the end of the process, across session expiries when the client is managed.
     *
     * @throws MeerkatException.NodeExists if another live session registered the same id
     */
    public void register(ServiceInstance instance) throws MeerkatException, InterruptedException {
        registerOn(managed.current(), instance, true);
        registered.put(instance.name() + "/" + instance.id(), instance);
    }

    /** @param update whether to write the data over a node this session already has */
    private void registerOn(MeerkatClient client, ServiceInstance instance, boolean update)
            throws MeerkatException, InterruptedException {
        String path = instancePath(instance);
        pastSessions.add(client.sessionId());
        for (;;) {
            try {
                Nodes.get(client.create(path, instance.toJson(), CreateMode.EPHEMERAL));
                return;
            } catch (MeerkatException.NoNode e) {
                Nodes.ensurePath(client, servicePath(instance.name()));
            } catch (MeerkatException.NodeExists e) {
                Optional<Stat> stat = Nodes.get(client.exists(path));
                if (stat.isEmpty()) {
                    continue;
                }
                long owner = stat.get().ephemeralOwner();
                if (owner == client.sessionId()) {
                    // ours already (a repeat after a lost reply, a reconnect, or an update)
                    if (update) {
                        Nodes.get(client.setData(path, instance.toJson()));
                    }
                    return;
                }
                if (!pastSessions.contains(owner)) {
                    throw e;
                }
                // left by our expired session, which the servers have not removed yet
                try {
                    Nodes.get(client.delete(path, stat.get().version()));
                } catch (MeerkatException.NoNode | MeerkatException.BadVersion gone) {
                    // gone or changed meanwhile: try again
                }
            } catch (MeerkatException e) {
                if (!Nodes.isConnectionLoss(e)) {
                    throw e;
                }
            }
        }
    }

    private void reregisterAll() {
        if (closed) {
            return;
        }
        MeerkatClient client = managed.current();
        for (ServiceInstance instance : registered.values()) {
            try {
                registerOn(client, instance, false);
            } catch (MeerkatException e) {
                log.warn("could not register {} again: {}", instance, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        caches.forEach(ServiceCache::refreshSoon);
    }

    /** Removes an instance's registration. */
    public void unregister(ServiceInstance instance) throws MeerkatException, InterruptedException {
        registered.remove(instance.name() + "/" + instance.id());
        Nodes.deleteIfExists(managed.current(), instancePath(instance));
    }

    /** The instances of {@code name} registered right now, by id; asks the servers. */
    public List<ServiceInstance> instances(String name) throws MeerkatException, InterruptedException {
        MeerkatClient client = managed.current();
        List<String> ids;
        try {
            ids = Nodes.get(client.getChildren(servicePath(name)));
        } catch (MeerkatException.NoNode e) {
            return List.of();
        }
        List<ServiceInstance> out = new ArrayList<>();
        for (String id : ids) {
            read(client, Nodes.join(servicePath(name), id)).ifPresent(out::add);
        }
        out.sort(Comparator.comparing(ServiceInstance::id));
        return out;
    }

    static Optional<ServiceInstance> read(MeerkatClient client, String path) throws MeerkatException, InterruptedException {
        try {
            return Optional.of(ServiceInstance.fromJson(Nodes.get(client.getData(path)).data()));
        } catch (MeerkatException.NoNode e) {
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            log.warn("ignoring {}: {}", path, e.getMessage());
            return Optional.empty();
        }
    }

    /** The names of the services that have (or had) instances. */
    public List<String> serviceNames() throws MeerkatException, InterruptedException {
        try {
            List<String> names = new ArrayList<>(Nodes.get(managed.current().getChildren(basePath)));
            names.sort(null);
            return names;
        } catch (MeerkatException.NoNode e) {
            return List.of();
        }
    }

    /** A started cache of the instances of {@code name}, closed with this object. */
    public ServiceCache cache(String name) throws MeerkatException, InterruptedException {
        ServiceCache cache = new ServiceCache(managed, servicePath(name));
        caches.add(cache);
        cache.start();
        return cache;
    }

    /** A provider over a new cache of {@code name}. */
    public ServiceProvider provider(String name, ProviderStrategy strategy) throws MeerkatException, InterruptedException {
        return new ServiceProvider(cache(name), strategy);
    }

    /** Unregisters this object's instances and closes its caches; the client stays open. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        caches.forEach(ServiceCache::close);
        for (ServiceInstance instance : List.copyOf(registered.values())) {
            try {
                unregister(instance);
            } catch (MeerkatException e) {
                // the session is gone, and the node with it
            }
        }
        worker.shutdown();
        worker.awaitTermination(10, TimeUnit.SECONDS);
    }
}
