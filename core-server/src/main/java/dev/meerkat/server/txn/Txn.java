package dev.meerkat.server.txn;

/**
 * A replicated change to the data tree, already validated: paths are final (sequence suffix
 * included), versions are the new values, and the node's kind is fixed in the raw ephemeralOwner.
 */
public sealed interface Txn
        permits CreateTxn, DeleteTxn, SetDataTxn, SetACLTxn, CheckVersionTxn, CreateSessionTxn,
        CloseSessionTxn, MultiTxn, ErrorTxn {
}
