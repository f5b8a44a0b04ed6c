package dev.meerkat.recipes;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.meerkat.client.ConnectionState;
import dev.meerkat.client.MeerkatClient;
import dev.meerkat.client.MeerkatException;
import dev.meerkat.client.NodeData;
import dev.meerkat.client.Watcher;
import dev.meerkat.protocol.CreateMode;
import dev.meerkat.protocol.record.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Configuration kept in znodes: publish values, read them through a local cache, subscribe to their
 * changes, and update them with compare-and-set on the node's version.
 *
 * <pre>{@code
 * ConfigCenter config = new ConfigCenter(client);
 * config.publish("/config/orders/maxBatch", "100");
 * config.subscribe("/config/orders/maxBatch", (path, value) -> apply(value.map(Versioned::value)));
 * Optional<Versioned> v = config.get("/config/orders/maxBatch");
 * config.compareAndSet("/config/orders/maxBatch", v.get().version(), "200");
 * }</pre>
 *
 * <p>A subscription reads with a watch, and each time the watch fires reads again with a new one
 * and hands the value to the listener, on the center's own thread. The listener sees the values in
 * the order they were written, each once, and always the latest; writes made in quick succession
 * may reach it as the last of them only (watches are one-shot, as in ZooKeeper).
 *
 * <p>Reads ({@link #get}) are served from a Caffeine cache while connected; each cached entry
 * carries a watch that evicts it when the node changes.
 * <p><b>Connection loss:</b> the cache is emptied (its watches cannot fire while disconnected), so
 * reads go to the servers and wait for the reconnect; subscriptions read again on reconnect and
 * report what changed meanwhile. <b>Session expiry:</b> the cache is emptied and subscriptions stop
 * (the client is dead; make a new client and center). <b>Server failover:</b> a reconnect, as above.
 */
public final class ConfigCenter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfigCenter.class);

    /** A value and the node version it was read at (the version to pass to compareAndSet). */
    public record Versioned(String value, int version) {
    }

    /** Told of each new value (empty when the node was deleted), on the center's thread. */
    @FunctionalInterface
    public interface Listener {
        void changed(String path, Optional<Versioned> value);
    }

    private final MeerkatClient client;
    private final Cache<String, Optional<Versioned>> cache;
    private final ExecutorService worker;
    private final java.util.List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    /** Bumped by every eviction watch, so a read that raced with one is not cached. */
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean closed;

    public ConfigCenter(MeerkatClient client) {
        this(client, 10_000);
    }

    public ConfigCenter(MeerkatClient client, long maxCachedEntries) {
        this.client = client;
        this.cache = Caffeine.newBuilder().maximumSize(maxCachedEntries).build();
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "config-center");
            t.setDaemon(true);
            return t;
        });
        client.addConnectionStateListener(this::connectionChanged);
    }

    /** Creates the node (and its parents) or overwrites its value, whatever its version. */
    public Stat publish(String path, String value) throws MeerkatException, InterruptedException {
        byte[] data = bytes(value);
        for (;;) {
            try {
                return Nodes.get(client.setData(path, data));
            } catch (MeerkatException.NoNode e) {
                try {
                    return Nodes.get(client.create(path, data, CreateMode.PERSISTENT)).stat();
                } catch (MeerkatException.NoNode parentMissing) {
                    Nodes.ensurePath(client, Nodes.parent(path));
                } catch (MeerkatException.NodeExists raced) {
                    // created meanwhile: set it
                }
            } catch (MeerkatException e) {
                if (!Nodes.isConnectionLoss(e)) {
                    throw e;
                }
            }
        }
    }

    /** Publishes every {@code key -> value} as {@code root/key} (keys may contain '/'). */
    public void publishTree(String root, Map<String, String> entries) throws MeerkatException, InterruptedException {
        for (Map.Entry<String, String> e : entries.entrySet()) {
            publish(Nodes.join(root, e.getKey()), e.getValue());
        }
    }

    /** The value now: from the cache while connected, else from the servers. Empty if there is no node. */
    public Optional<Versioned> get(String path) throws MeerkatException, InterruptedException {
        if (!client.state().isConnected()) {
            return read(path, null);
        }
        Optional<Versioned> cached = cache.getIfPresent(path);
        if (cached != null) {
            return cached;
        }
        Watcher evict = event -> {
            generation.incrementAndGet();
            cache.invalidate(path);
        };
        long before = generation.get();
        Optional<Versioned> value = read(path, evict);
        // a watch that fired between the read and here evicted nothing yet: do not cache over it
        cache.asMap().compute(path, (k, old) ->
                generation.get() == before && client.state().isConnected() ? value : old);
        return value;
    }

    /** The value as a String, or {@code fallback}. */
    public String get(String path, String fallback) throws MeerkatException, InterruptedException {
        return get(path).map(Versioned::value).orElse(fallback);
    }

    private Optional<Versioned> read(String path, Watcher watcher) throws MeerkatException, InterruptedException {
        for (;;) {
            try {
                NodeData d = Nodes.get(watcher == null ? client.getData(path) : client.getData(path, watcher));
                return Optional.of(new Versioned(string(d.data()), d.stat().version()));
            } catch (MeerkatException.NoNode e) {
                // an exists watch tells us when it appears
                if (watcher != null && Nodes.get(client.exists(path, watcher)).isPresent()) {
                    continue;
                }
                return Optional.empty();
            } catch (MeerkatException e) {
                if (!Nodes.isConnectionLoss(e)) {
                    throw e;
                }
            }
        }
    }

    /**
     * Sets the value if the node is still at {@code expectedVersion}.
     *
     * @return false if somebody changed it first (read again and decide again)
     */
    public boolean compareAndSet(String path, int expectedVersion, String value) throws MeerkatException, InterruptedException {
        try {
            Nodes.get(client.setData(path, bytes(value), expectedVersion));
            cache.invalidate(path);
            return true;
        } catch (MeerkatException.BadVersion e) {
            return false;
        }
    }

    /**
     * Reads, applies {@code change} and writes with compare-and-set until no one interferes. A
     * ConnectionLoss is passed on: the write may have landed, and only the caller knows whether
     * applying the change twice is harmless.
     */
    public String update(String path, UnaryOperator<String> change) throws MeerkatException, InterruptedException {
        for (;;) {
            Optional<Versioned> now = read(path, null);
            if (now.isEmpty()) {
                throw MeerkatException.of(dev.meerkat.protocol.Code.NONODE, path);
            }
            String next = change.apply(now.get().value());
            if (compareAndSet(path, now.get().version(), next)) {
                return next;
            }
        }
    }

    /**
     * Hands the current value to {@code listener} (on the center's thread, soon after this returns),
     * and then each later one. Close the subscription to stop.
     */
    public Subscription subscribe(String path, Listener listener) {
        Subscription s = new Subscription(path, Objects.requireNonNull(listener));
        subscriptions.add(s);
        s.readSoon();
        return s;
    }

    /** One path's listener; close to stop hearing about it. */
    public final class Subscription implements AutoCloseable {
        private final String path;
        private final Listener listener;
        private final Watcher watcher = event -> readSoon();
        /** The mzxid of the last value given (-1 for none yet, 0 after a deletion); worker thread only. */
        private long lastMzxid = -1;
        private boolean existed;
        private volatile boolean cancelled;

        private Subscription(String path, Listener listener) {
            this.path = path;
            this.listener = listener;
        }

        void readSoon() {
            if (cancelled || closed) {
                return;
            }
            try {
                worker.execute(this::read);
            } catch (RejectedExecutionException e) {
                // closing
            }
        }

        private void read() {
            if (cancelled || closed) {
                return;
            }
            try {
                Optional<Versioned> value;
                long mzxid;
                try {
                    NodeData d = Nodes.get(client.getData(path, watcher));
                    value = Optional.of(new Versioned(string(d.data()), d.stat().version()));
                    mzxid = d.stat().mzxid();
                } catch (MeerkatException.NoNode e) {
                    if (Nodes.get(client.exists(path, watcher)).isPresent()) {
                        readSoon();
                        return;
                    }
                    value = Optional.empty();
                    mzxid = 0;
                }
                boolean news = value.isPresent() ? mzxid > lastMzxid : (existed || lastMzxid < 0);
                if (news) {
                    lastMzxid = Math.max(lastMzxid, mzxid);
                    if (value.isEmpty()) {
                        lastMzxid = 0;
                    }
                    existed = value.isPresent();
                    listener.changed(path, value);
                }
            } catch (MeerkatException e) {
                // ConnectionLoss: read again on RECONNECTED; SessionExpired: the subscription ends
                log.debug("reading {} failed: {}", path, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.warn("config listener for {} failed", path, e);
            }
        }

        @Override
        public void close() {
            cancelled = true;
            subscriptions.remove(this);
        }
    }

    private void connectionChanged(ConnectionState state) {
        if (!state.isConnected()) {
            generation.incrementAndGet();
            cache.invalidateAll();
        } else if (state == ConnectionState.RECONNECTED) {
            subscriptions.forEach(Subscription::readSoon);
        }
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** Stops the subscriptions; the client stays open. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        subscriptions.clear();
        worker.shutdown();
        worker.awaitTermination(10, TimeUnit.SECONDS);
    }
}
