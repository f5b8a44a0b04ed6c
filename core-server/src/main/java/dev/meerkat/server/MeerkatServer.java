package dev.meerkat.server;

import dev.meerkat.server.admin.FourLetterWords;
import dev.meerkat.server.config.ServerConfig;
import dev.meerkat.server.net.ClientListener;
import dev.meerkat.server.request.RequestProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;

/** A standalone Meerkat server: the request processor behind the client port. */
public final class MeerkatServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MeerkatServer.class);
    /** Standalone servers use id 1, which becomes the top byte of every session id. */
    static final long STANDALONE_SERVER_ID = 1;
    /** What a standalone ZooKeeper's {@code conf} reports as serverId (it has no myid). */
    private static final long STANDALONE_CONF_SERVER_ID = 0;

    private final ServerConfig config;
    private final RequestProcessor processor;
    private final ClientListener listener;

    private MeerkatServer(ServerConfig config) throws InterruptedException {
        this.config = config;
        this.processor = new RequestProcessor(config, STANDALONE_SERVER_ID);
        processor.start();
        try {
            this.listener = new ClientListener(config, processor,
                    new FourLetterWords(config, processor, STANDALONE_CONF_SERVER_ID));
        } catch (RuntimeException | InterruptedException e) {
            processor.close();
            throw e;
        }
        LOG.info("Meerkat serving clients on {} (tickTime {} ms, sessions {}..{} ms)", listener.localAddress(),
                config.tickTime(), config.minSessionTimeout(), config.maxSessionTimeout());
    }

    /** Starts a server and returns once its client port accepts connections. */
    public static MeerkatServer start(ServerConfig config) throws InterruptedException {
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

    @Override
    public void close() {
        listener.close();
        processor.close();
        LOG.info("Meerkat on port {} stopped", config.clientPort());
    }
}
