package dev.meerkat.server.watch;

import dev.meerkat.protocol.EventType;
import dev.meerkat.protocol.WatcherType;
import dev.meerkat.protocol.record.ACL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The server's watch registry: ZooKeeper's two tables (data and child), each entry carrying a set
 * of {@link WatcherMode}s, and the rules of which change notifies whom.
 *
 * <p>Owned by the data tree's single thread, like the tree itself: no locks. Delivery order is
 * deterministic (registration order at a path, then nearest ancestor first) so that replicas and
 * tests see the same sequence; ZooKeeper itself leaves the order among watchers unspecified.
 */
public final class WatchManager {

    private static final Logger LOG = LoggerFactory.getLogger(WatchManager.class);

    /** getData/exists watches, persistent watches and all recursive watches. */
    private final WatchTable data = new WatchTable();
    /** getChildren watches and persistent watches; recursive watches are never put here. */
    private final WatchTable child = new WatchTable();

    /** A one-shot data (or exists) watch. Returns false if the watcher already had one on the path. */
    public boolean addDataWatch(String path, Watcher watcher) {
        return data.add(path, watcher, WatcherMode.STANDARD);
    }

    /** A one-shot child watch. Returns false if the watcher already had one on the path. */
    public boolean addChildWatch(String path, Watcher watcher) {
        return child.add(path, watcher, WatcherMode.STANDARD);
    }

    /**
     * addWatch: PERSISTENT goes into both tables, so it hears its node's data events and its
     * child-list changes; PERSISTENT_RECURSIVE goes into the data table only, which is what keeps it
     * from ever hearing NodeChildrenChanged.
     */
    public void addPersistentWatch(String path, Watcher watcher, boolean recursive) {
        if (recursive) {
            data.add(path, watcher, WatcherMode.PERSISTENT_RECURSIVE);
        } else {
            data.add(path, watcher, WatcherMode.PERSISTENT);
            child.add(path, watcher, WatcherMode.PERSISTENT);
        }
    }

    /** checkWatches, with the {@link WatcherType} numbers. An unknown type matches nothing. */
    public boolean containsWatch(String path, int watcherType, Watcher watcher) {
        return switch (watcherType) {
            case WatcherType.CHILDREN -> child.contains(path, watcher, WatcherMode.STANDARD);
            case WatcherType.DATA -> data.contains(path, watcher, WatcherMode.STANDARD);
            case WatcherType.ANY -> child.contains(path, watcher, null) || data.contains(path, watcher, null);
            // A persistent watch always has its data-table half, so ZooKeeper only looks there.
            case WatcherType.PERSISTENT -> data.contains(path, watcher, WatcherMode.PERSISTENT);
            case WatcherType.PERSISTENT_RECURSIVE -> data.contains(path, watcher, WatcherMode.PERSISTENT_RECURSIVE);
            default -> false;
        };
    }

    /**
     * removeWatches, with the {@link WatcherType} numbers: only the named mode goes, other modes of
     * the same entry stay. Returns false (NOWATCHER) when nothing was removed.
     */
    public boolean removeWatch(String path, int watcherType, Watcher watcher) {
        switch (watcherType) {
            case WatcherType.CHILDREN:
                return child.remove(path, watcher, WatcherMode.STANDARD);
            case WatcherType.DATA:
                return data.remove(path, watcher, WatcherMode.STANDARD);
            case WatcherType.ANY: {
                boolean fromChild = child.remove(path, watcher, null);
                boolean fromData = data.remove(path, watcher, null);
                return fromChild || fromData;
            }
            case WatcherType.PERSISTENT: {
                boolean fromChild = child.remove(path, watcher, WatcherMode.PERSISTENT);
                boolean fromData = data.remove(path, watcher, WatcherMode.PERSISTENT);
                return fromChild || fromData;
            }
            case WatcherType.PERSISTENT_RECURSIVE:
                return data.remove(path, watcher, WatcherMode.PERSISTENT_RECURSIVE);
            default:
                return false;
        }
    }

    /** The connection is gone: forget every watch it had, in both tables. */
    public void removeWatcher(Watcher watcher) {
        data.removeAll(watcher);
        child.removeAll(watcher);
    }

    /**
     * A node was created: NodeCreated to the data table of the path (and recursive watchers above
     * it), then NodeChildrenChanged to the child table of the parent.
     */
    public void triggerCreated(String path, long zxid, List<ACL> nodeAcl, List<ACL> parentAcl) {
        deliver(data.trigger(path), null, new WatchedEvent(EventType.NODE_CREATED, path, zxid), nodeAcl);
        triggerParent(path, zxid, parentAcl);
    }

    /**
     * A node was deleted: NodeDeleted to its data-table watchers (and recursive watchers above it),
     * then to its child-table watchers that have not just been told, then NodeChildrenChanged to the
     * parent's child table.
     */
    public void triggerDeleted(String path, long zxid, List<ACL> nodeAcl, List<ACL> parentAcl) {
        WatchedEvent deleted = new WatchedEvent(EventType.NODE_DELETED, path, zxid);
        Set<Watcher> told = data.trigger(path);
        deliver(told, null, deleted, nodeAcl);
        // The child table is consumed for everyone, including those already told, so that a
        // connection holding both a data and a child watch on the node gets one frame and loses both.
        deliver(child.trigger(path), told, deleted, nodeAcl);
        triggerParent(path, zxid, parentAcl);
    }

    /** setData: NodeDataChanged to the data table of the path and recursive watchers above it. */
    public void triggerDataChanged(String path, long zxid, List<ACL> nodeAcl) {
        deliver(data.trigger(path), null, new WatchedEvent(EventType.NODE_DATA_CHANGED, path, zxid), nodeAcl);
    }

    private void triggerParent(String path, long zxid, List<ACL> parentAcl) {
        String parent = parentOf(path);
        if (parent != null) {
            deliver(child.trigger(parent), null,
                    new WatchedEvent(EventType.NODE_CHILDREN_CHANGED, parent, zxid), parentAcl);
        }
    }

    private static void deliver(Set<Watcher> watchers, Set<Watcher> skip, WatchedEvent event, List<ACL> acl) {
        for (Watcher w : watchers) {
            if (skip == null || !skip.contains(w)) {
                try {
                    w.process(event, acl);
                } catch (RuntimeException e) {
                    // Delivery runs in the middle of applying a txn: one broken connection must not
                    // stop the others hearing of it, nor leave the txn half-finished.
                    LOG.warn("watcher of session 0x{} failed on {}", Long.toHexString(w.sessionId()), event, e);
                }
            }
        }
    }

    /** (watcher, path) entries in the data table: the wchs "Total watches" figure. */
    public int watchCount() {
        return data.entryCount;
    }

    /** Paths with at least one data-table entry: the wchs "watching N paths" figure. */
    public int watchedPathCount() {
        return data.byPath.size();
    }

    /** Watchers with at least one data-table entry: the wchs "N connections" figure. */
    public int watchingConnectionCount() {
        return data.byWatcher.size();
    }

    /** (watcher, path) entries over both tables: mntr's zk_watch_count. */
    public int totalWatchCount() {
        return data.entryCount + child.entryCount;
    }

    /** Data-table entries that carry PERSISTENT_RECURSIVE. */
    public int recursiveWatchCount() {
        return data.recursiveCount;
    }

    /** The data table by session (wchc), sorted; watchers of the same session are merged. */
    public Map<Long, Set<String>> dataWatchesBySession() {
        Map<Long, Set<String>> out = new TreeMap<>();
        for (Map.Entry<Watcher, Set<String>> e : data.byWatcher.entrySet()) {
            out.computeIfAbsent(e.getKey().sessionId(), k -> new TreeSet<>()).addAll(e.getValue());
        }
        return out;
    }

    /** The data table by path (wchp), sorted. */
    public Map<String, Set<Long>> dataWatchesByPath() {
        Map<String, Set<Long>> out = new TreeMap<>();
        for (Map.Entry<String, Map<Watcher, Integer>> e : data.byPath.entrySet()) {
            Set<Long> sessions = new TreeSet<>();
            for (Watcher w : e.getValue().keySet()) {
                sessions.add(w.sessionId());
            }
            out.put(e.getKey(), sessions);
        }
        return out;
    }

    /** The parent of an absolute path, "/" for a top-level node, null for the root. */
    static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        if (slash < 0 || path.length() == 1) {
            return null;
        }
        return slash == 0 ? "/" : path.substring(0, slash);
    }

    /**
     * One table: path → (watcher → mode bits), plus the reverse index so that a closing connection
     * is cleaned up without scanning every path.
     */
    private static final class WatchTable {
        private final Map<String, Map<Watcher, Integer>> byPath = new HashMap<>();
        private final Map<Watcher, Set<String>> byWatcher = new HashMap<>();
        private int entryCount;
        /**
         * Entries carrying PERSISTENT_RECURSIVE. While it is zero, a trigger looks at the exact path
         * only; every write pays for the ancestor walk otherwise.
         */
        private int recursiveCount;

        boolean add(String path, Watcher watcher, WatcherMode mode) {
            // Most paths are watched by few connections; start small.
            Map<Watcher, Integer> watchers = byPath.computeIfAbsent(path, p -> new LinkedHashMap<>(4));
            Integer old = watchers.get(watcher);
            int oldBits = old == null ? 0 : old;
            int newBits = oldBits | mode.bit();
            if (newBits == oldBits) {
                return false;
            }
            watchers.put(watcher, newBits);
            if (old == null) {
                byWatcher.computeIfAbsent(watcher, w -> new HashSet<>()).add(path);
                entryCount++;
            }
            if (mode == WatcherMode.PERSISTENT_RECURSIVE) {
                recursiveCount++;
            }
            return true;
        }

        /** @param mode null for "any mode" */
        boolean contains(String path, Watcher watcher, WatcherMode mode) {
            Map<Watcher, Integer> watchers = byPath.get(path);
            Integer bits = watchers == null ? null : watchers.get(watcher);
            return bits != null && (mode == null || (bits & mode.bit()) != 0);
        }

        /** @param mode null for "every mode" */
        boolean remove(String path, Watcher watcher, WatcherMode mode) {
            Map<Watcher, Integer> watchers = byPath.get(path);
            Integer old = watchers == null ? null : watchers.get(watcher);
            if (old == null) {
                return false;
            }
            int removeBits = mode == null ? old : old & mode.bit();
            if (removeBits == 0) {
                return false;
            }
            if ((removeBits & WatcherMode.PERSISTENT_RECURSIVE.bit()) != 0) {
                recursiveCount--;
            }
            int left = old & ~removeBits;
            if (left == 0) {
                watchers.remove(watcher);
                if (watchers.isEmpty()) {
                    byPath.remove(path);
                }
                unindex(watcher, path);
            } else {
                watchers.put(watcher, left);
            }
            return true;
        }

        void removeAll(Watcher watcher) {
            Set<String> paths = byWatcher.remove(watcher);
            if (paths == null) {
                return;
            }
            for (String path : paths) {
                Map<Watcher, Integer> watchers = byPath.get(path);
                Integer bits = watchers.remove(watcher);
                if ((bits & WatcherMode.PERSISTENT_RECURSIVE.bit()) != 0) {
                    recursiveCount--;
                }
                if (watchers.isEmpty()) {
                    byPath.remove(path);
                }
                entryCount--;
            }
        }

        /**
         * Who hears an event at {@code path}: every entry on the path whatever its mode (STANDARD
         * consumed), plus PERSISTENT_RECURSIVE entries on its ancestors. Each watcher at most once.
         * The tables are settled before anyone is told, so a watcher that reacts by registering
         * again is not affected by this event.
         */
        Set<Watcher> trigger(String path) {
            Set<Watcher> out = null;
            Map<Watcher, Integer> watchers = byPath.get(path);
            if (watchers != null) {
                out = new LinkedHashSet<>();
                int standard = WatcherMode.STANDARD.bit();
                Iterator<Map.Entry<Watcher, Integer>> it = watchers.entrySet().iterator();
                while (it.hasNext()) {
                    Map.Entry<Watcher, Integer> e = it.next();
                    out.add(e.getKey());
                    int bits = e.getValue();
                    if ((bits & standard) != 0) {
                        if (bits == standard) {
                            it.remove();
                            unindex(e.getKey(), path);
                        } else {
                            e.setValue(bits & ~standard);
                        }
                    }
                }
                if (watchers.isEmpty()) {
                    byPath.remove(path);
                }
            }
            if (recursiveCount > 0) {
                int recursive = WatcherMode.PERSISTENT_RECURSIVE.bit();
                for (String p = parentOf(path); p != null; p = parentOf(p)) {
                    Map<Watcher, Integer> above = byPath.get(p);
                    if (above == null) {
                        continue;
                    }
                    for (Map.Entry<Watcher, Integer> e : above.entrySet()) {
                        if ((e.getValue() & recursive) != 0) {
                            if (out == null) {
                                out = new LinkedHashSet<>();
                            }
                            out.add(e.getKey());
                        }
                    }
                }
            }
            return out == null ? Collections.emptySet() : out;
        }

        private void unindex(Watcher watcher, String path) {
            Set<String> paths = byWatcher.get(watcher);
            paths.remove(path);
            if (paths.isEmpty()) {
                byWatcher.remove(watcher);
            }
            entryCount--;
        }
    }
}
