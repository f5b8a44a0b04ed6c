package dev.meerkat.server.txn;

import java.util.Objects;

/** Delete a node (also used for deleteContainer and for the TTL/container reaper). */
public record DeleteTxn(String path) implements Txn {
    public DeleteTxn {
        Objects.requireNonNull(path, "path");
    }
}
