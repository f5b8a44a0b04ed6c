package dev.meerkat.client;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The client's side of watches, keyed by client path (chroot removed), with ZooKeeper's
 * ZKWatchManager rules: the server sends one notification per change for the whole connection, and
 * this class decides which local watchers hear it. One-shot watchers are consumed; persistent ones
 * stay; recursive ones on the path or any ancestor hear everything but child events.
 *
 * <p>Used from the I/O loop; the lock only makes the occasional read from elsewhere safe.
 */
final class ClientWatchManager {

    /**
     * The local tables. DATA and EXIST are one table on the server; the client keeps them apart
     * because exists on a missing node registers under EXIST and re-registers as an exist watch.
     */
    enum Kind { DATA, EXIST, CHILD, PERSISTENT, RECURSIVE }

    /** A watcher taken out by removeWatches, and the event that tells it so. */
    record Removal(Watcher watcher, WatchedEvent.Type type) {
    }

    /** The paths to re-register after a reconnect, per table. */
    record Registered(List<String> data, List<String> exist, List<String> child, List<String> persistent,
                      List<String> recursive) {
        boolean isEmpty() {
            return data.isEmpty() && exist.isEmpty() && child.isEmpty() && persistent.isEmpty() && recursive.isEmpty();
        }
    }

    private final Map<Kind, Map<String, Set<Watcher>>> tables = new EnumMap<>(Kind.class);

    ClientWatchManager() {
        for (Kind k : Kind.values()) {
            tables.put(k, new HashMap<>());
        }
    }

    synchronized void add(Kind kind, String path, Watcher watcher) {
        tables.get(kind).computeIfAbsent(path, p -> new LinkedHashSet<>()).add(watcher);
    }

    /**
     * The watchers a notification reaches, each once, in a stable order; one-shot ones are taken
     * out of their tables.
     */
    synchronized Set<Watcher> materialize(WatchedEvent.Type type, String path) {
        Set<Watcher> result = new LinkedHashSet<>();
        switch (type) {
            case NODE_CREATED, NODE_DATA_CHANGED -> {
                take(Kind.DATA, path, result);
                take(Kind.EXIST, path, result);
            }
            case NODE_CHILDREN_CHANGED -> take(Kind.CHILD, path, result);
            case NODE_DELETED -> {
                take(Kind.DATA, path, result);
                // an exist watch on an existing node is registered as a data watch, but a
                // NodeDeleted can still meet one set while the node was missing (ZooKeeper does
                // the same)
                take(Kind.EXIST, path, result);
                take(Kind.CHILD, path, result);
            }
            default -> {
                return result;
            }
        }
        Set<Watcher> persistent = tables.get(Kind.PERSISTENT).get(path);
        if (persistent != null) {
            result.addAll(persistent);
        }
        if (type != WatchedEvent.Type.NODE_CHILDREN_CHANGED) {
            Map<String, Set<Watcher>> recursive = tables.get(Kind.RECURSIVE);
            if (!recursive.isEmpty()) {
                for (String p = path; p != null; p = parent(p)) {
                    Set<Watcher> ws = recursive.get(p);
                    if (ws != null) {
                        result.addAll(ws);
                    }
                }
            }
        }
        return result;
    }

    private void take(Kind kind, String path, Set<Watcher> into) {
        Set<Watcher> ws = tables.get(kind).remove(path);
        if (ws != null) {
            into.addAll(ws);
        }
    }

    private static String parent(String path) {
        if (path.equals("/")) {
            return null;
        }
        int slash = path.lastIndexOf('/');
        return slash == 0 ? "/" : path.substring(0, slash);
    }

    private static Set<Kind> kinds(WatchType type) {
        return switch (type) {
            case CHILDREN -> EnumSet.of(Kind.CHILD);
            case DATA -> EnumSet.of(Kind.DATA, Kind.EXIST);
            case PERSISTENT -> EnumSet.of(Kind.PERSISTENT);
            case PERSISTENT_RECURSIVE -> EnumSet.of(Kind.RECURSIVE);
            case ANY -> EnumSet.allOf(Kind.class);
        };
    }

    private static WatchedEvent.Type removedEvent(Kind kind) {
        return switch (kind) {
            case DATA, EXIST -> WatchedEvent.Type.DATA_WATCH_REMOVED;
            case CHILD -> WatchedEvent.Type.CHILD_WATCH_REMOVED;
            case PERSISTENT, RECURSIVE -> WatchedEvent.Type.PERSISTENT_WATCH_REMOVED;
        };
    }

    /** Whether {@code watcher} (any watcher if null) is registered on {@code path} in a table of {@code type}. */
    synchronized boolean contains(String path, Watcher watcher, WatchType type) {
        for (Kind k : kinds(type)) {
            Set<Watcher> ws = tables.get(k).get(path);
            if (ws != null && !ws.isEmpty() && (watcher == null || ws.contains(watcher))) {
                return true;
            }
        }
        return false;
    }

    /** Whether a watcher other than {@code watcher} would remain on {@code path} in a table of {@code type}. */
    synchronized boolean othersRemain(String path, Watcher watcher, WatchType type) {
        for (Kind k : kinds(type)) {
            Set<Watcher> ws = tables.get(k).get(path);
            if (ws != null) {
                for (Watcher w : ws) {
                    if (!w.equals(watcher)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Takes out {@code watcher} (every watcher if null) from the tables of {@code type} on
     * {@code path}. A watcher gets one removal event per event type, even if it sat in two tables
     * that share one (data and exist).
     */
    synchronized List<Removal> remove(String path, Watcher watcher, WatchType type) {
        Map<Watcher, Set<WatchedEvent.Type>> removed = new LinkedHashMap<>();
        for (Kind k : kinds(type)) {
            Map<String, Set<Watcher>> table = tables.get(k);
            Set<Watcher> ws = table.get(path);
            if (ws == null) {
                continue;
            }
            List<Watcher> taken = new ArrayList<>();
            if (watcher == null) {
                taken.addAll(ws);
                ws.clear();
            } else if (ws.remove(watcher)) {
                taken.add(watcher);
            }
            if (ws.isEmpty()) {
                table.remove(path);
            }
            for (Watcher w : taken) {
                removed.computeIfAbsent(w, x -> EnumSet.noneOf(WatchedEvent.Type.class)).add(removedEvent(k));
            }
        }
        List<Removal> out = new ArrayList<>();
        removed.forEach((w, types) -> types.forEach(t -> out.add(new Removal(w, t))));
        return out;
    }

    synchronized Registered registered() {
        return new Registered(paths(Kind.DATA), paths(Kind.EXIST), paths(Kind.CHILD), paths(Kind.PERSISTENT),
                paths(Kind.RECURSIVE));
    }

    private List<String> paths(Kind kind) {
        return new ArrayList<>(tables.get(kind).keySet());
    }

    /** Every watch is gone with the session. */
    synchronized void clear() {
        tables.values().forEach(Map::clear);
    }
}
