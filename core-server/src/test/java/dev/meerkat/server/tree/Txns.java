package dev.meerkat.server.tree;

import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.server.txn.CreateTxn;
import dev.meerkat.server.txn.DeleteTxn;
import dev.meerkat.server.txn.ProcessTxnResult;
import dev.meerkat.server.txn.SetDataTxn;
import dev.meerkat.server.txn.Txn;
import dev.meerkat.server.txn.TxnHeader;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Short ways to apply txns in tests. Time is derived from the zxid so stats are predictable. */
final class Txns {
    static final long SESSION = 0x100L;
    static final List<ACL> OPEN = ACL.OPEN_ACL_UNSAFE;

    private Txns() {
    }

    static long timeOf(long zxid) {
        return 1_000_000L + zxid * 10;
    }

    static TxnHeader hdr(long zxid) {
        return hdr(SESSION, zxid, OpCode.CREATE);
    }

    static TxnHeader hdr(long session, long zxid, int type) {
        return new TxnHeader(session, (int) zxid, zxid, timeOf(zxid), type);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static CreateTxn create(String path) {
        return new CreateTxn(path, new byte[0], OPEN, 0L);
    }

    static ProcessTxnResult apply(DataTree tree, long zxid, Txn txn) {
        return tree.processTxn(hdr(zxid), txn);
    }

    static ProcessTxnResult create(DataTree tree, long zxid, String path) {
        return apply(tree, zxid, create(path));
    }

    static ProcessTxnResult create(DataTree tree, long zxid, String path, String data, long owner) {
        return apply(tree, zxid, new CreateTxn(path, bytes(data), OPEN, owner));
    }

    static ProcessTxnResult delete(DataTree tree, long zxid, String path) {
        return apply(tree, zxid, new DeleteTxn(path));
    }

    static ProcessTxnResult setData(DataTree tree, long zxid, String path, String data, int version) {
        return apply(tree, zxid, new SetDataTxn(path, bytes(data), version));
    }
}
