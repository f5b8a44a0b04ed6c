package dev.meerkat.bench.jmh;

import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.server.tree.DataTree;
import dev.meerkat.server.txn.CreateTxn;
import dev.meerkat.server.txn.ProcessTxnResult;
import dev.meerkat.server.txn.TxnHeader;

import java.util.List;
import java.util.Locale;
import java.util.Random;

/** Builds the trees the DataTree and prepare benchmarks run on. */
public final class Trees {
    public static final String PARENT = "/meerkat-bench";

    private Trees() {
    }

    public static String path(int k) {
        return PARENT + "/k" + String.format(Locale.ROOT, "%07d", k);
    }

    public static byte[] value(int size) {
        byte[] v = new byte[size];
        new Random(5).nextBytes(v);
        return v;
    }

    /**
     * Creates {@link #PARENT} and {@code nodes} children of it with 1 KB values (one shared array,
     * so a million nodes do not need a gigabyte), through processTxn.
     *
     * @return the last zxid used
     */
    public static long populate(DataTree tree, int nodes) {
        return populate(tree, nodes, ACL.OPEN_ACL_UNSAFE);
    }

    /** As {@link #populate(DataTree, int)}, with {@code acl} on the parent and every child. */
    public static long populate(DataTree tree, int nodes, List<ACL> acl) {
        byte[] value = value(1024);
        long zxid = 0;
        apply(tree, ++zxid, new CreateTxn(PARENT, new byte[0], acl, 0));
        for (int k = 0; k < nodes; k++) {
            apply(tree, ++zxid, new CreateTxn(path(k), value, acl, 0));
        }
        return zxid;
    }

    public static void apply(DataTree tree, long zxid, dev.meerkat.server.txn.Txn txn) {
        ProcessTxnResult r = tree.processTxn(new TxnHeader(0x1234L, 1, zxid, 1_700_000_000_000L,
                txn instanceof CreateTxn ? OpCode.CREATE : OpCode.DELETE), txn);
        if (r.err() != 0) {
            throw new IllegalStateException(txn + " failed with error " + r.err());
        }
    }
}
