package dev.meerkat.server.quorum;

import dev.meerkat.server.admin.FourLetterWords;
import dev.meerkat.server.config.ConfigException;
import dev.meerkat.server.config.ServerConfig;
import dev.meerkat.server.net.ClientListener;
import dev.meerkat.server.request.RequestProcessor;
import dev.meerkat.server.request.TxnSink;
import dev.meerkat.server.storage.SnapshotSession;
import dev.meerkat.server.zab.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

/**
 * One member of an ensemble: its storage, the request processor that owns its tree and its ZAB
 * node, the peer network, and the client port. Clients are served only while the member is synced
 * with a leader (or is one); at other times a client's connection is closed and it tries another
 * server, as with ZooKeeper.
 */
public final class EnsembleServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EnsembleServer.class);

    /** How the member talks to the others: TCP in production, direct calls in some tests. */
    public interface Network extends QuorumPeer.Transport, AutoCloseable {
        void start() throws InterruptedException;

        @Override
        void close();
    }

    /** Makes the network of member {@code config.myid()}, delivering to the two callbacks. */
    @FunctionalInterface
    public interface NetworkFactory {
        Network create(QuorumConfig config, BiConsumer<Integer, PeerMessage> received, IntConsumer disconnected);
    }

    private final ServerConfig config;
    private final QuorumConfig quorum;
    private final RequestProcessor processor;
    private final QuorumPeer peer;
    private final Network network;
    private final ClientListener listener;

    private EnsembleServer(ServerConfig config, QuorumConfig quorum, NetworkFactory networks)
            throws IOException, InterruptedException {
        this.config = config;
        this.quorum = quorum;
        ZabStorage storage = ZabStorage.open(config);
        TxnSink unused = (h, t, ok, failed) -> failed.accept(new IllegalStateException("ensemble txns go through ZAB"));
        this.processor = new RequestProcessor(config, quorum.myid(), storage.tree(), unused, storage.snapshotDir());
        for (SnapshotSession s : storage.sessions()) {
            processor.restoreSession(s.id(), s.timeout(), s.password());
        }
        this.peer = new QuorumPeer(quorum, storage, processor, (to, m) -> network().send(to, m));
        this.network = networks.create(quorum, peer::received, peer::disconnected);
        processor.start();
        peer.start();
        try {
            network.start();
            this.listener = new ClientListener(config, processor, new FourLetterWords(config, processor, quorum.myid(),
                    this::mode));
        } catch (Exception e) {
            // also a BindException, which Netty throws unchecked
            network.close();
            peer.close();
            processor.close();
            throw e;
        }
        LOG.info("Meerkat ensemble member {} of {} listening for clients on {}", quorum.myid(),
                quorum.peers().keySet(), listener.localAddress());
    }

    private Network network() {
        return network;
    }

    /** Starts the member zoo.cfg describes, with this server's id from dataDir/myid. */
    public static EnsembleServer start(ServerConfig config) throws IOException, InterruptedException {
        try {
            return start(config, QuorumConfig.of(config), PeerNetworks::tcp);
        } catch (ConfigException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Starts a member described by {@code quorum}, over TCP. */
    public static EnsembleServer start(ServerConfig config, QuorumConfig quorum) throws IOException, InterruptedException {
        return start(config, quorum, PeerNetworks::tcp);
    }

    public static EnsembleServer start(ServerConfig config, QuorumConfig quorum, NetworkFactory networks)
            throws IOException, InterruptedException {
        return new EnsembleServer(config, quorum, networks);
    }

    /** What {@code srvr} and {@code stat} report: leader, follower, observer, or not serving. */
    private String mode() {
        return switch (peer.role()) {
            case LEADING -> "leader";
            case FOLLOWING -> "follower";
            case OBSERVING -> "observer";
            case LOOKING -> "looking";
        };
    }

    public int myid() {
        return quorum.myid();
    }

    public InetSocketAddress clientAddress() {
        return listener.localAddress();
    }

    public int clientPort() {
        return listener.localAddress().getPort();
    }

    /** Read on the processor thread, so it is consistent with what clients see. */
    public Role role() {
        return processor.query(p -> peer.role()).join();
    }

    /** Whether it serves clients now. */
    public boolean isServing() {
        return processor.query(p -> peer.isOpen()).join();
    }

    public RequestProcessor processor() {
        return processor;
    }

    public ServerConfig config() {
        return config;
    }

    @Override
    public void close() {
        listener.close();
        network.close();
        processor.close();
        peer.close();
        LOG.info("Meerkat ensemble member {} stopped", quorum.myid());
    }
}
