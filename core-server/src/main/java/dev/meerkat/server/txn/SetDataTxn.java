package dev.meerkat.server.txn;

import java.util.Arrays;
import java.util.Objects;

/**
 * Replace a node's data.
 *
 * @param version the node's NEW data version (the request's expected version + 1, resolved when the
 *     txn was built), so that applying the txn needs no read of the old value
 */
public record SetDataTxn(String path, byte[] data, int version) implements Txn {
    public SetDataTxn {
        Objects.requireNonNull(path, "path");
    }

    // Records compare arrays by reference; a txn decoded from the log must equal the one proposed.
    @Override
    public boolean equals(Object o) {
        return o instanceof SetDataTxn t && path.equals(t.path) && Arrays.equals(data, t.data)
                && version == t.version;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, Arrays.hashCode(data), version);
    }

    @Override
    public String toString() {
        return "SetDataTxn[path=" + path + ", dataLength=" + (data == null ? -1 : data.length)
                + ", version=" + version + "]";
    }
}
