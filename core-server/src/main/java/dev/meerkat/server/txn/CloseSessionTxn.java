package dev.meerkat.server.txn;

/**
 * Close or expire the session header.sessionId(): its ephemeral nodes are deleted, in sorted path
 * order, each like a normal delete (watches fire for everyone else).
 */
public record CloseSessionTxn() implements Txn {
}
