package dev.meerkat.server.quorum;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

/** The production network of an ensemble member: TCP on each server's quorum port. */
final class PeerNetworks {
    private PeerNetworks() {
    }

    static EnsembleServer.Network tcp(QuorumConfig config, BiConsumer<Integer, PeerMessage> received,
                                      IntConsumer disconnected) {
        Map<Integer, InetSocketAddress> others = new HashMap<>();
        for (QuorumConfig.Peer p : config.peers().values()) {
            if (p.id() != config.myid()) {
                others.put(p.id(), p.quorumAddress());
            }
        }
        PeerNetwork net = new PeerNetwork(config.myid(), config.me().quorumAddress(), others,
                new PeerNetwork.Listener() {
                    @Override
                    public void received(int from, PeerMessage m) {
                        received.accept(from, m);
                    }

                    @Override
                    public void disconnected(int peer) {
                        disconnected.accept(peer);
                    }
                });
        return new EnsembleServer.Network() {
            @Override
            public void start() throws InterruptedException {
                net.start();
            }

            @Override
            public void send(int to, PeerMessage m) {
                net.send(to, m);
            }

            @Override
            public void close() {
                net.close();
            }
        };
    }
}
