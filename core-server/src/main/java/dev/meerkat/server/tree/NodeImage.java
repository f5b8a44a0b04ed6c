package dev.meerkat.server.tree;

import dev.meerkat.protocol.record.ACL;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One znode as a snapshot holds it: every stored field, not the client's view. It is immutable
 * (the data array and ACL list are never modified by anyone, see {@link DataNode}), so it may be
 * handed from the tree's owner thread to a writer thread.
 *
 * @param data may be null
 * @param childCreateCount the stored create counter (the next sequential suffix), not the derived
 *     cversion a client sees
 * @param ephemeralOwner the raw owner, container and TTL encodings included
 * @param serializedAt the tree's last processed zxid when this image was taken: the image
 *     reflects every txn up to and including it and none after it
 */
public record NodeImage(String path, byte[] data, List<ACL> acl, long czxid, long mzxid, long ctime,
                        long mtime, int version, int aversion, int childCreateCount, long pzxid,
                        long ephemeralOwner, long serializedAt) {

    public NodeImage {
        Objects.requireNonNull(path, "path");
        acl = List.copyOf(acl);
    }

    // Records compare arrays by reference; an image read back from a file must equal the one written.
    @Override
    public boolean equals(Object o) {
        return o instanceof NodeImage n && path.equals(n.path) && Arrays.equals(data, n.data) && acl.equals(n.acl)
                && czxid == n.czxid && mzxid == n.mzxid && ctime == n.ctime && mtime == n.mtime
                && version == n.version && aversion == n.aversion && childCreateCount == n.childCreateCount
                && pzxid == n.pzxid && ephemeralOwner == n.ephemeralOwner && serializedAt == n.serializedAt;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, Arrays.hashCode(data), acl, czxid, mzxid, version, aversion, childCreateCount,
                pzxid, ephemeralOwner, serializedAt);
    }

    @Override
    public String toString() {
        return "NodeImage[path=" + path + ", dataLength=" + (data == null ? -1 : data.length) + ", acl=" + acl
                + ", czxid=0x" + Long.toHexString(czxid) + ", mzxid=0x" + Long.toHexString(mzxid)
                + ", pzxid=0x" + Long.toHexString(pzxid) + ", version=" + version + ", aversion=" + aversion
                + ", childCreateCount=" + childCreateCount + ", ephemeralOwner=0x" + Long.toHexString(ephemeralOwner)
                + ", serializedAt=0x" + Long.toHexString(serializedAt) + "]";
    }
}
