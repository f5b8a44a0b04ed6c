package dev.meerkat.server.watch;

import dev.meerkat.protocol.record.ACL;

import java.util.List;

/**
 * The receiving end of watch notifications: in the server, one client connection.
 *
 * <p>Watches belong to the connection, not the session, so implementations are used as keys
 * with their own {@code equals}/{@code hashCode}; keep identity equality so that two connections of
 * the same session stay apart.
 */
public interface Watcher {

    /**
     * Called on the data tree's owner thread while the triggering txn is applied, so it must not
     * block; a connection queues the frame and returns.
     *
     * @param nodeAcl the ACL of the node the event is about (the parent's ACL for
     *     NodeChildrenChanged, the deleted node's last ACL for NodeDeleted), or null when unknown;
     *     the connection drops the event unless that ACL grants it READ
     */
    void process(WatchedEvent event, List<ACL> nodeAcl);

    /** The session of the connection, for the wchc/wchp reports. */
    long sessionId();
}
