package dev.meerkat.server.txn;

import dev.meerkat.protocol.record.ACL;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Create a node.
 *
 * @param path the final path, sequence suffix already appended
 * @param data may be null; a null stays null (getData answers a -1 length buffer)
 * @param acl the ACL, already expanded (no "auth" ids left)
 * @param ephemeralOwner the raw stored owner: 0 persistent, the session id for an ephemeral, or
 *     the container/TTL encodings of {@code dev.meerkat.server.tree.EphemeralType}
 */
public record CreateTxn(String path, byte[] data, List<ACL> acl, long ephemeralOwner) implements Txn {
    public CreateTxn {
        Objects.requireNonNull(path, "path");
        acl = List.copyOf(acl);
    }

    // Records compare arrays by reference; a txn decoded from the log must equal the one proposed.
    @Override
    public boolean equals(Object o) {
        return o instanceof CreateTxn t && path.equals(t.path) && Arrays.equals(data, t.data)
                && acl.equals(t.acl) && ephemeralOwner == t.ephemeralOwner;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, Arrays.hashCode(data), acl, ephemeralOwner);
    }

    @Override
    public String toString() {
        return "CreateTxn[path=" + path + ", dataLength=" + (data == null ? -1 : data.length)
                + ", acl=" + acl + ", ephemeralOwner=0x" + Long.toHexString(ephemeralOwner) + "]";
    }
}
