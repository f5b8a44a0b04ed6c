package dev.meerkat.server.tree;

import dev.meerkat.protocol.record.ACL;
import dev.meerkat.protocol.record.Stat;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One znode. Only {@link DataTree} changes it, on the tree's owner thread; everyone else reads.
 *
 * <p>The data array is shared, never copied: whoever hands it in (a txn) or takes it out (a reply)
 * must not modify it.
 */
public final class DataNode {

    private byte[] data;
    private List<ACL> acl;
    private final long czxid;
    private final long ctime;
    private final long ephemeralOwner;
    private long mzxid;
    private long mtime;
    private long pzxid;
    private int version;
    private int aversion;
    /**
     * ZooKeeper's stored cversion: children ever created here. It is also the next sequential
     * suffix, which is why deletes never lower it.
     */
    private int childCreateCount;
    /** Null until the first child: most znodes are leaves. */
    private Set<String> children;
    /**
     * One field for two phases that never overlap, because it is paid for on every znode: while
     * the node is in a tree that is being recovered it holds the node's serializedAt (the zxid its
     * snapshot image reflects, {@link #NO_ZXID} for nodes the replay made or once recovery is
     * over); once the node has been deleted it holds the deleting zxid, which a snapshot cursor
     * that still remembers the node needs.
     */
    private long mark = NO_ZXID;

    /** serializedAt of a node with no snapshot image behind it; zxids are never negative. */
    static final long NO_ZXID = -1L;

    DataNode(byte[] data, List<ACL> acl, long ephemeralOwner, long zxid, long time) {
        this.data = data;
        this.acl = acl;
        this.ephemeralOwner = ephemeralOwner;
        this.czxid = zxid;
        this.mzxid = zxid;
        this.pzxid = zxid;
        this.ctime = time;
        this.mtime = time;
    }

    /** A node restored from a snapshot image: every stored field as it was, children added later. */
    DataNode(NodeImage image) {
        this.data = image.data();
        this.acl = image.acl();
        this.ephemeralOwner = image.ephemeralOwner();
        this.czxid = image.czxid();
        this.mzxid = image.mzxid();
        this.pzxid = image.pzxid();
        this.ctime = image.ctime();
        this.mtime = image.mtime();
        this.version = image.version();
        this.aversion = image.aversion();
        this.childCreateCount = image.childCreateCount();
        this.mark = image.serializedAt();
    }

    /** Every stored field, as one immutable value that may leave the owner thread. */
    NodeImage image(String path, long serializedAt) {
        return new NodeImage(path, data, acl, czxid, mzxid, ctime, mtime, version, aversion,
                childCreateCount, pzxid, ephemeralOwner, serializedAt);
    }

    public byte[] data() {
        return data;
    }

    public List<ACL> acl() {
        return acl;
    }

    /**
     * The Stat a client sees. cversion is derived as ZooKeeper's DataNode.copyStat does: every
     * create that is no longer present was matched by a delete, so changes = 2 × creates − present.
     */
    public Stat stat() {
        int numChildren = numChildren();
        return new Stat(czxid, mzxid, ctime, mtime, version, childCreateCount * 2 - numChildren, aversion,
                EphemeralType.reportedOwner(ephemeralOwner), data == null ? 0 : data.length, numChildren, pzxid);
    }

    public long czxid() {
        return czxid;
    }

    public long ctime() {
        return ctime;
    }

    public long rawEphemeralOwner() {
        return ephemeralOwner;
    }

    public int childCreateCount() {
        return childCreateCount;
    }

    public int version() {
        return version;
    }

    public int aversion() {
        return aversion;
    }

    public long mzxid() {
        return mzxid;
    }

    public long mtime() {
        return mtime;
    }

    public long pzxid() {
        return pzxid;
    }

    public int numChildren() {
        return children == null ? 0 : children.size();
    }

    /** Child names (not paths), in no particular order, as ZooKeeper returns them. */
    public Set<String> children() {
        return children == null ? Collections.emptySet() : Collections.unmodifiableSet(children);
    }

    void addChild(String name) {
        if (children == null) {
            children = new HashSet<>(4);
        }
        children.add(name);
    }

    void removeChild(String name) {
        if (children != null) {
            children.remove(name);
        }
    }

    void childCreated(long zxid) {
        childCreateCount++;
        advancePzxid(zxid);
    }

    /** Never backwards: a replayed older txn must not undo a newer child-list change. */
    void advancePzxid(long zxid) {
        if (zxid > pzxid) {
            pzxid = zxid;
        }
    }

    void setData(byte[] data, int version, long zxid, long time) {
        this.data = data;
        this.version = version;
        this.mzxid = zxid;
        this.mtime = time;
    }

    void setAcl(List<ACL> acl, int aversion) {
        this.acl = acl;
        this.aversion = aversion;
    }

    long serializedAt() {
        return mark;
    }

    void clearSerializedAt() {
        mark = NO_ZXID;
    }

    void markDeleted(long zxid) {
        mark = zxid;
    }

    long deletedAt() {
        return mark;
    }
}
