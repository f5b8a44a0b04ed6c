package dev.meerkat.server.storage;

import dev.meerkat.server.txn.Txn;
import dev.meerkat.server.txn.TxnHeader;

import java.util.Objects;

/** One logged txn: what {@link TxnLog} stores and what recovery replays into the data tree. */
public record Entry(TxnHeader header, Txn txn) {
    public Entry {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(txn, "txn");
    }

    public long zxid() {
        return header.zxid();
    }
}
