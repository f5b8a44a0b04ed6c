package dev.meerkat.client;

import dev.meerkat.protocol.EventType;

/**
 * A watch notification, with the path as this client sees it (chroot removed).
 *
 * @param zxid the transaction that caused the event; -1 for events the server sends while
 *             re-registering watches after a reconnect (the change happened while away) and for
 *             the removal events the client makes itself
 */
public record WatchedEvent(Type type, String path, long zxid) {

    /** ZooKeeper's event types with their wire numbers. */
    public enum Type {
        NODE_CREATED(EventType.NODE_CREATED),
        NODE_DELETED(EventType.NODE_DELETED),
        NODE_DATA_CHANGED(EventType.NODE_DATA_CHANGED),
        NODE_CHILDREN_CHANGED(EventType.NODE_CHILDREN_CHANGED),
        DATA_WATCH_REMOVED(EventType.DATA_WATCH_REMOVED),
        CHILD_WATCH_REMOVED(EventType.CHILD_WATCH_REMOVED),
        PERSISTENT_WATCH_REMOVED(EventType.PERSISTENT_WATCH_REMOVED);

        private final int wire;

        Type(int wire) {
            this.wire = wire;
        }

        public int intValue() {
            return wire;
        }

        /** ZooKeeper's name, e.g. {@code NodeDataChanged}. */
        public String zooKeeperName() {
            return EventType.name(wire);
        }

        /** The type for a wire number, or null for one the server should never send. */
        static Type of(int wire) {
            for (Type t : values()) {
                if (t.wire == wire) {
                    return t;
                }
            }
            return null;
        }
    }

    /** As ZooKeeper 3.9 prints a WatchedEvent (the state is always SyncConnected for node events). */
    @Override
    public String toString() {
        return "WatchedEvent state:SyncConnected type:" + type.zooKeeperName() + " path:" + path + " zxid: " + zxid;
    }
}
