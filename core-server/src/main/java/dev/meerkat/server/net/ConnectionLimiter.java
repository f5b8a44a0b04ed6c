package dev.meerkat.server.net;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/** Caps connections per client IP (maxClientCnxns; 0 means no cap). */
public final class ConnectionLimiter {
    private static final AttributeKey<Boolean> COUNTED = AttributeKey.valueOf("meerkat.counted");
    private final int max;
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

    public ConnectionLimiter(int max) {
        this.max = max;
    }

    public int max() {
        return max;
    }

    boolean tryAcquire(Channel channel, InetAddress address) {
        boolean[] ok = {false};
        perAddress.compute(address, (a, n) -> {
            int current = n == null ? 0 : n;
            if (max > 0 && current >= max) {
                return n;
            }
            ok[0] = true;
            return current + 1;
        });
        if (ok[0]) {
            channel.attr(COUNTED).set(Boolean.TRUE);
        }
        return ok[0];
    }

    boolean counted(Channel channel) {
        return Boolean.TRUE.equals(channel.attr(COUNTED).get());
    }

    void release(InetAddress address) {
        perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    public int connectionsFrom(InetAddress address) {
        return perAddress.getOrDefault(address, 0);
    }
}
