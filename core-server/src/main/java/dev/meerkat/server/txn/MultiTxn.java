package dev.meerkat.server.txn;

import java.util.List;

/**
 * An atomic batch: all sub-txns share the header (one zxid) and later ones see the effects of
 * earlier ones. A multi that failed while being built carries {@link ErrorTxn}s and changes nothing.
 */
public record MultiTxn(List<Txn> txns) implements Txn {
    public MultiTxn {
        txns = List.copyOf(txns);
    }
}
