package dev.meerkat.server.txn;

import dev.meerkat.protocol.record.ACL;

import java.util.List;
import java.util.Objects;

/**
 * Replace a node's ACL.
 *
 * @param acl already expanded (no "auth" ids left)
 * @param version the node's NEW aversion
 */
public record SetACLTxn(String path, List<ACL> acl, int version) implements Txn {
    public SetACLTxn {
        Objects.requireNonNull(path, "path");
        acl = List.copyOf(acl);
    }
}
