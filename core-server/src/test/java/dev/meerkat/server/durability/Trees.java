package dev.meerkat.server.durability;

import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads a subtree through the official client, so that two states of it can be compared whole. */
final class Trees {
    private Trees() {
    }

    /** Everything a client can see of one node. */
    record NodeState(String data, Stat stat, List<ACL> acl) {
        @Override
        public String toString() {
            return "data='" + data + "' stat=" + stat.toString().replace('\n', ' ') + " acl=" + acl;
        }
    }

    /** Every node under and including {@code root}, by path, in path order. */
    static Map<String, NodeState> read(ZooKeeper zk, String root) throws KeeperException, InterruptedException {
        Map<String, NodeState> out = new TreeMap<>();
        readInto(zk, root, out);
        return out;
    }

    private static void readInto(ZooKeeper zk, String path, Map<String, NodeState> out)
            throws KeeperException, InterruptedException {
        Stat stat = new Stat();
        byte[] data = zk.getData(path, false, stat);
        List<ACL> acl = zk.getACL(path, new Stat());
        out.put(path, new NodeState(data == null ? null : new String(data, StandardCharsets.ISO_8859_1), stat, acl));
        for (String child : zk.getChildren(path, false)) {
            readInto(zk, path.equals("/") ? "/" + child : path + "/" + child, out);
        }
    }
}
