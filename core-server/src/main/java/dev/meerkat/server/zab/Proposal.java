package dev.meerkat.server.zab;

import java.util.Arrays;

/**
 * One entry of the replicated log: a zxid and the application's opaque payload (for Meerkat, an
 * encoded txn). The core never looks inside the payload, which is what lets the simulator check
 * the protocol with cheap byte strings.
 */
public record Proposal(long zxid, byte[] payload) {
    public Proposal {
        if (zxid <= 0) {
            throw new IllegalArgumentException("zxid " + zxid);
        }
        if (payload == null) {
            throw new IllegalArgumentException("null payload");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Proposal p && p.zxid == zxid && Arrays.equals(p.payload, payload);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(zxid) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Proposal[" + Zxid.toString(zxid) + ", " + payload.length + "B]";
    }
}
