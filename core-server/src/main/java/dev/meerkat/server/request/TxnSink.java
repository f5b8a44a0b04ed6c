package dev.meerkat.server.request;

import dev.meerkat.server.txn.Txn;
import dev.meerkat.server.txn.TxnHeader;

import java.util.function.Consumer;

/**
 * Where a prepared txn goes before it may be applied: the transaction log, which calls back once
 * the txn is durable (fsynced), always in zxid order. Nothing is applied or answered before that.
 */
public interface TxnSink {
    /**
     * @param onDurable runs once the txn is on disk; may run on any thread, must be short
     * @param onFailure runs instead if the txn can never become durable
     */
    void append(TxnHeader header, Txn txn, Runnable onDurable, Consumer<Throwable> onFailure);

    /** Keeps nothing: every txn counts as durable at once. For tests of the tree and pipeline only. */
    TxnSink IN_MEMORY = (header, txn, onDurable, onFailure) -> onDurable.run();
}
