package dev.meerkat.server;

import dev.meerkat.server.admin.FourLetterWords;
import dev.meerkat.server.config.ServerConfig;
import dev.meerkat.server.net.ClientListener;
import dev.meerkat.server.request.RequestProcessor;
import dev.meerkat.server.storage.Durability;
import dev.meerkat.server.storage.SnapshotSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A standalone Meerkat server: recovery from the data directories, then the request processor
 * (which logs every txn before applying it) behind the client port.
 */
public final class MeerkatServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MeerkatServer.class);
    /** Standalone servers use id 1, which becomes the top byte of every session id. */
    static final long STANDALONE_SERVER_ID = 1;
    /** What a standalone ZooKeeper's {@code conf} reports as serverId (it has no myid). */
    private static final long STANDALONE_CONF_SERVER_ID = 0;

    private final ServerConfig config;
    private final Durability durability;
    private final RequestProcessor processor;
    private final ClientListener listener;
    private final ScheduledExecutorService purger;

    private MeerkatServer(ServerConfig config) throws IOException, InterruptedException {
        this.config = config;
        this.durability = Durability.open(config);
        Durability.Recovered recovered = durability.recovered();
        this.processor = new RequestProcessor(config, STANDALONE_SERVER_ID, recovered.tree(), durability.sink(),
                durability.snapshotDir());
        for (SnapshotSession s : recovered.sessions()) {
            processor.restoreSession(s.id(), s.timeout(), s.password());
        }
        processor.start();
        try {
            this.listener = new ClientListener(config, processor,
                    new FourLetterWords(config, processor, STANDALONE_CONF_SERVER_ID));
        } catch (Exception e) {
            // also a BindException, which Netty throws unchecked
            processor.close();
            durability.close();
            throw e;
        }
        this.purger = config.purgeInterval() > 0 ? startPurger(config.purgeInterval()) : null;
        LOG.info("Meerkat serving clients on {} (tickTime {} ms, sessions {}..{} ms)", listener.localAddress(),
                config.tickTime(), config.minSessionTimeout(), config.maxSessionTimeout());
    }

    private ScheduledExecutorService startPurger(int hours) {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "meerkat-purge");
            t.setDaemon(true);
            return t;
        });
        s.scheduleWithFixedDelay(durability::purge, hours, hours, TimeUnit.HOURS);
        return s;
    }

    /**
     * Recovers from the data directories and starts serving; returns once the client port accepts
     * connections.
     *
     * @throws IOException when the data on disk cannot be trusted or the directories not used
     */
    public static MeerkatServer start(ServerConfig config) throws IOException, InterruptedException {
        return new MeerkatServer(config);
    }

    public InetSocketAddress clientAddress() {
        return listener.localAddress();
    }

    public int clientPort() {
        return listener.localAddress().getPort();
    }

    public ServerConfig config() {
        return config;
    }

    public Durability durability() {
        return durability;
    }

    /** Stops taking connections, then makes everything already accepted durable before returning. */
    @Override
    public void close() {
        if (purger != null) {
            purger.shutdownNow();
        }
        listener.close();
        if (config.snapshotOnShutdown()) {
            try {
                processor.snapshotNow().get(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.warn("No snapshot at shutdown; the next start replays the log instead", e);
            }
        }
        processor.close();
        try {
            durability.close();
        } catch (IOException e) {
            LOG.error("Closing the transaction log failed", e);
        }
        LOG.info("Meerkat on port {} stopped", config.clientPort());
    }
}
