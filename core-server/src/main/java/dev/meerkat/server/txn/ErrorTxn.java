package dev.meerkat.server.txn;

import dev.meerkat.protocol.Code;

/**
 * A write that failed while being built. It still takes a zxid (as in ZooKeeper) and, inside a
 * multi, records which op failed.
 *
 * @param err a {@link Code} int value
 */
public record ErrorTxn(int err) implements Txn {
}
