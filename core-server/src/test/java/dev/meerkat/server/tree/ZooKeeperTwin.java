package dev.meerkat.server.tree;

import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.protocol.record.Id;
import dev.meerkat.protocol.record.Stat;
import dev.meerkat.server.txn.CheckVersionTxn;
import dev.meerkat.server.txn.CloseSessionTxn;
import dev.meerkat.server.txn.CreateSessionTxn;
import dev.meerkat.server.txn.CreateTxn;
import dev.meerkat.server.txn.DeleteTxn;
import dev.meerkat.server.txn.ErrorTxn;
import dev.meerkat.server.txn.MultiTxn;
import dev.meerkat.server.txn.ProcessTxnResult;
import dev.meerkat.server.txn.SetACLTxn;
import dev.meerkat.server.txn.SetDataTxn;
import dev.meerkat.server.txn.Txn;
import dev.meerkat.server.txn.TxnHeader;
import dev.meerkat.server.watch.RecordingWatcher;
import org.apache.jute.BinaryOutputArchive;
import org.apache.jute.Record;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.server.DataNode;
import org.apache.zookeeper.server.DataTree;
import org.apache.zookeeper.server.ServerWatcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Apache ZooKeeper 3.9.5's own DataTree, fed the same txns as ours, translated into ZooKeeper's
 * txn records the way its PrepRequestProcessor would have built them.
 */
final class ZooKeeperTwin {

    final DataTree tree = new DataTree();

    /** A ZooKeeper-side watcher recording in the same shape as {@link RecordingWatcher}. */
    static final class Recorder implements ServerWatcher {
        final List<RecordingWatcher.Delivery> deliveries = new ArrayList<>();

        @Override
        public void process(WatchedEvent event, List<org.apache.zookeeper.data.ACL> acl) {
            deliveries.add(new RecordingWatcher.Delivery(event.getType().getIntValue(), event.getPath(),
                    event.getZxid(), acl == null ? null : fromZk(acl)));
        }

        @Override
        public void process(WatchedEvent event) {
            process(event, null);
        }
    }

    ProcessTxnResult apply(TxnHeader hdr, Txn txn) {
        int type = typeOf(txn);
        org.apache.zookeeper.txn.TxnHeader zkHdr =
                new org.apache.zookeeper.txn.TxnHeader(hdr.sessionId(), hdr.cxid(), hdr.zxid(), hdr.time(), type);
        return fromZk(tree.processTxn(zkHdr, toZk(txn)));
    }

    /** The op ZooKeeper would log: create2/createContainer/createTTL, so that it reports a Stat. */
    private static int typeOf(Txn txn) {
        if (txn instanceof CreateTxn c) {
            return EphemeralType.isContainer(c.ephemeralOwner()) ? OpCode.CREATE_CONTAINER
                    : EphemeralType.isTtl(c.ephemeralOwner()) ? OpCode.CREATE_TTL : OpCode.CREATE2;
        }
        if (txn instanceof DeleteTxn) {
            return OpCode.DELETE;
        }
        if (txn instanceof SetDataTxn) {
            return OpCode.SET_DATA;
        }
        if (txn instanceof SetACLTxn) {
            return OpCode.SET_ACL;
        }
        if (txn instanceof CheckVersionTxn) {
            return OpCode.CHECK;
        }
        if (txn instanceof CreateSessionTxn) {
            return OpCode.CREATE_SESSION;
        }
        if (txn instanceof CloseSessionTxn) {
            return OpCode.CLOSE_SESSION;
        }
        if (txn instanceof MultiTxn) {
            return OpCode.MULTI;
        }
        return OpCode.ERROR;
    }

    private static Record toZk(Txn txn) {
        if (txn instanceof CreateTxn c) {
            List<org.apache.zookeeper.data.ACL> acl = toZk(c.acl());
            long owner = c.ephemeralOwner();
            if (EphemeralType.isContainer(owner)) {
                return new org.apache.zookeeper.txn.CreateContainerTxn(c.path(), c.data(), acl, -1);
            }
            if (EphemeralType.isTtl(owner)) {
                return new org.apache.zookeeper.txn.CreateTTLTxn(c.path(), c.data(), acl, -1, EphemeralType.ttlOf(owner));
            }
            // ZooKeeper takes the owner of an ephemeral from the header; the caller makes them agree.
            return new org.apache.zookeeper.txn.CreateTxn(c.path(), c.data(), acl, owner != 0, -1);
        }
        if (txn instanceof DeleteTxn d) {
            return new org.apache.zookeeper.txn.DeleteTxn(d.path());
        }
        if (txn instanceof SetDataTxn s) {
            return new org.apache.zookeeper.txn.SetDataTxn(s.path(), s.data(), s.version());
        }
        if (txn instanceof SetACLTxn s) {
            return new org.apache.zookeeper.txn.SetACLTxn(s.path(), toZk(s.acl()), s.version());
        }
        if (txn instanceof CheckVersionTxn c) {
            return new org.apache.zookeeper.txn.CheckVersionTxn(c.path(), c.version());
        }
        if (txn instanceof CreateSessionTxn s) {
            return new org.apache.zookeeper.txn.CreateSessionTxn(s.timeOut());
        }
        if (txn instanceof CloseSessionTxn) {
            return null;
        }
        if (txn instanceof ErrorTxn e) {
            return new org.apache.zookeeper.txn.ErrorTxn(e.err());
        }
        MultiTxn multi = (MultiTxn) txn;
        List<org.apache.zookeeper.txn.Txn> subs = new ArrayList<>();
        for (Txn sub : multi.txns()) {
            subs.add(new org.apache.zookeeper.txn.Txn(typeOf(sub), serialize(toZk(sub))));
        }
        return new org.apache.zookeeper.txn.MultiTxn(subs);
    }

    private static byte[] serialize(Record record) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            record.serialize(BinaryOutputArchive.getArchive(bytes), "txn");
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ProcessTxnResult fromZk(DataTree.ProcessTxnResult rc) {
        List<ProcessTxnResult> subs = null;
        if (rc.multiResult != null) {
            subs = new ArrayList<>();
            for (DataTree.ProcessTxnResult sub : rc.multiResult) {
                subs.add(fromZk(sub));
            }
        }
        return new ProcessTxnResult(rc.err, rc.path, rc.stat == null ? null : fromZk(rc.stat), subs);
    }

    static Stat fromZk(org.apache.zookeeper.data.Stat s) {
        return new Stat(s.getCzxid(), s.getMzxid(), s.getCtime(), s.getMtime(), s.getVersion(), s.getCversion(),
                s.getAversion(), s.getEphemeralOwner(), s.getDataLength(), s.getNumChildren(), s.getPzxid());
    }

    Stat stat(DataNode node) {
        org.apache.zookeeper.data.Stat stat = new org.apache.zookeeper.data.Stat();
        node.copyStat(stat);
        return fromZk(stat);
    }

    List<ACL> acl(DataNode node) {
        return fromZk(tree.getACL(node));
    }

    static List<org.apache.zookeeper.data.ACL> toZk(List<ACL> acl) {
        List<org.apache.zookeeper.data.ACL> out = new ArrayList<>();
        for (ACL a : acl) {
            out.add(new org.apache.zookeeper.data.ACL(a.perms(),
                    new org.apache.zookeeper.data.Id(a.id().scheme(), a.id().id())));
        }
        return out;
    }

    static List<ACL> fromZk(List<org.apache.zookeeper.data.ACL> acl) {
        List<ACL> out = new ArrayList<>();
        for (org.apache.zookeeper.data.ACL a : acl) {
            out.add(new ACL(a.getPerms(), new Id(a.getId().getScheme(), a.getId().getId())));
        }
        return out;
    }
}
