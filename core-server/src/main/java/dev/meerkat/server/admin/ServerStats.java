package dev.meerkat.server.admin;

import java.util.concurrent.atomic.AtomicLong;

/** Counters that srvr, stat and mntr print. Written by the processor, read by any thread. */
public final class ServerStats {
    private final long startedMillis = System.currentTimeMillis();
    private final AtomicLong packetsReceived = new AtomicLong();
    private final AtomicLong packetsSent = new AtomicLong();
    private final AtomicLong authFailed = new AtomicLong();
    private volatile long minLatency = Long.MAX_VALUE;
    private volatile long maxLatency;
    private volatile long totalLatency;
    private volatile long latencyCount;

    public void received() {
        packetsReceived.incrementAndGet();
    }

    public void sent() {
        packetsSent.incrementAndGet();
    }

    public void authFailed() {
        authFailed.incrementAndGet();
    }

    /** Called only by the request processor thread, so plain read-modify-write is safe. */
    public void latency(long millis) {
        if (millis < minLatency) {
            minLatency = millis;
        }
        if (millis > maxLatency) {
            maxLatency = millis;
        }
        totalLatency += millis;
        latencyCount++;
    }

    public long packetsReceived() {
        return packetsReceived.get();
    }

    public long packetsSent() {
        return packetsSent.get();
    }

    public long authFailedCount() {
        return authFailed.get();
    }

    public long minLatency() {
        return latencyCount == 0 ? 0 : minLatency;
    }

    public long maxLatency() {
        return maxLatency;
    }

    public double avgLatency() {
        long n = latencyCount;
        return n == 0 ? 0 : (double) totalLatency / n;
    }

    public long uptimeMillis() {
        return System.currentTimeMillis() - startedMillis;
    }

    public void reset() {
        packetsReceived.set(0);
        packetsSent.set(0);
        minLatency = Long.MAX_VALUE;
        maxLatency = 0;
        totalLatency = 0;
        latencyCount = 0;
    }
}
