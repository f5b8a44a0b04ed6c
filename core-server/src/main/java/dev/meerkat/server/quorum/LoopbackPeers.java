package dev.meerkat.server.quorum;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

/**
 * Peer networks for members of one ensemble inside one process, each bound to a port the kernel
 * picks (port 0), so that tests never race another process for a port chosen in advance. Every
 * member learns the others' addresses as they bind, through {@link PeerNetwork#updatePeer}. A
 * member started again binds its previous port if it can, and a new one if not.
 */
public final class LoopbackPeers implements EnsembleServer.NetworkFactory {
    /** Where a peer that has not bound yet is dialled: nothing listens there, so the dial fails fast. */
    private static final InetSocketAddress NOWHERE = new InetSocketAddress("127.0.0.1", 1);

    private final Map<Integer, InetSocketAddress> bound = new ConcurrentHashMap<>();
    private final Map<Integer, PeerNetwork> live = new ConcurrentHashMap<>();

    @Override
    public EnsembleServer.Network create(QuorumConfig config, BiConsumer<Integer, PeerMessage> received,
                                         IntConsumer disconnected) {
        int me = config.myid();
        PeerNetwork.Listener listener = new PeerNetwork.Listener() {
            @Override
            public void received(int from, PeerMessage m) {
                received.accept(from, m);
            }

            @Override
            public void disconnected(int peer) {
                disconnected.accept(peer);
            }
        };
        return new EnsembleServer.Network() {
            private volatile PeerNetwork net;

            private PeerNetwork open(int port) {
                Map<Integer, InetSocketAddress> others = new ConcurrentHashMap<>();
                for (int id : config.peers().keySet()) {
                    if (id != me) {
                        others.put(id, bound.getOrDefault(id, NOWHERE));
                    }
                }
                return new PeerNetwork(me, new InetSocketAddress("127.0.0.1", port), others, listener);
            }

            @Override
            public void start() throws InterruptedException {
                InetSocketAddress previous = bound.get(me);
                net = open(previous == null ? 0 : previous.getPort());
                try {
                    net.start();
                } catch (Exception e) {
                    // (Netty throws a BindException unchecked)
                    if (previous == null || e instanceof InterruptedException) {
                        throw e;
                    }
                    // the old port was taken meanwhile: any port will do, the others are told
                    net = open(0);
                    net.start();
                }
                InetSocketAddress address = new InetSocketAddress("127.0.0.1", net.boundPort());
                bound.put(me, address);
                live.put(me, net);
                live.forEach((id, other) -> {
                    if (id != me) {
                        other.updatePeer(me, address);
                        net.updatePeer(id, bound.get(id));
                    }
                });
            }

            @Override
            public void send(int to, PeerMessage m) {
                PeerNetwork n = net;
                if (n != null) {
                    n.send(to, m);
                }
            }

            @Override
            public void close() {
                PeerNetwork n = net;
                if (n != null) {
                    live.remove(me, n);
                    n.close();
                }
            }
        };
    }
}
