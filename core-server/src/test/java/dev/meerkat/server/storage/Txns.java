package dev.meerkat.server.storage;

import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.Perms;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.protocol.record.Id;
import dev.meerkat.server.txn.CheckVersionTxn;
import dev.meerkat.server.txn.CloseSessionTxn;
import dev.meerkat.server.txn.CreateSessionTxn;
import dev.meerkat.server.txn.CreateTxn;
import dev.meerkat.server.txn.DeleteTxn;
import dev.meerkat.server.txn.ErrorTxn;
import dev.meerkat.server.txn.MultiTxn;
import dev.meerkat.server.txn.SetACLTxn;
import dev.meerkat.server.txn.SetDataTxn;
import dev.meerkat.server.txn.Txn;
import dev.meerkat.server.txn.TxnHeader;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Sample txns for the storage tests: a mix of every kind, chosen by zxid so runs repeat. */
final class Txns {
    static final List<ACL> DIGEST_ACL = List.of(new ACL(Perms.ALL, new Id("digest", "bob:abc=")),
            new ACL(Perms.READ, Id.ANYONE));

    private Txns() {
    }

    static TxnHeader header(long zxid) {
        return new TxnHeader(0x1000 + (zxid % 7), (int) zxid, zxid, 1_700_000_000_000L + zxid, OpCode.SET_DATA);
    }

    static Entry entry(long zxid) {
        return new Entry(header(zxid), txn(zxid));
    }

    static Txn txn(long zxid) {
        String path = "/node-" + zxid;
        return switch ((int) (zxid % 6)) {
            case 0 -> new CreateTxn(path, bytes("v" + zxid), ACL.OPEN_ACL_UNSAFE, 0);
            case 1 -> new SetDataTxn(path, bytes("data-" + zxid), (int) zxid);
            case 2 -> new DeleteTxn(path);
            case 3 -> new SetACLTxn(path, DIGEST_ACL, 3);
            case 4 -> new MultiTxn(List.of(new CheckVersionTxn(path, 1), new SetDataTxn(path, null, 2)));
            default -> new CreateSessionTxn(30_000, bytes("pw" + zxid));
        };
    }

    static Txn sized(int dataBytes) {
        return new SetDataTxn("/big", new byte[dataBytes], 1);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<Txn> everyKind() {
        return List.of(
                new CreateTxn("/a", bytes("x"), ACL.OPEN_ACL_UNSAFE, 0),
                new CreateTxn("/null-data", null, DIGEST_ACL, 0x1234L),
                new CreateTxn("/empty", new byte[0], List.of(), -1L),
                new DeleteTxn("/a/b"),
                new SetDataTxn("/a", bytes("y"), 7),
                new SetDataTxn("/a", null, 0),
                new SetACLTxn("/a", DIGEST_ACL, 2),
                new SetACLTxn("/a", List.of(), 0),
                new CheckVersionTxn("/a", -1),
                new CreateSessionTxn(4000, new byte[16]),
                new CreateSessionTxn(4000, null),
                new CloseSessionTxn(),
                new ErrorTxn(-101),
                new MultiTxn(List.of()),
                new MultiTxn(List.of(new CreateTxn("/m", null, List.of(), 0), new DeleteTxn("/m"),
                        new MultiTxn(List.of(new ErrorTxn(-110), new CloseSessionTxn())))),
                new CreateTxn("/ünïcode/路径", bytes("€"), ACL.OPEN_ACL_UNSAFE, 0));
    }

    static MultiTxn nested(int depth) {
        Txn t = new DeleteTxn("/leaf");
        MultiTxn m = null;
        for (int i = 0; i < depth; i++) {
            m = new MultiTxn(List.of(t));
            t = m;
        }
        return m;
    }
}
