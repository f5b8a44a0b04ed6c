package dev.meerkat.recipes;

import dev.meerkat.client.MeerkatClient;
import dev.meerkat.client.MeerkatException;
import dev.meerkat.client.NodeData;
import dev.meerkat.protocol.CreateMode;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A shared long, changed by compare-and-set on the node's version: read value and version, write
 * the new value at that version, start over on BadVersion. The node holds the value as decimal
 * text, then a newline and the id of the change that wrote it.
 *
 * <pre>{@code
 * DistributedCounter orders = new DistributedCounter(client, "/counters/orders");
 * long n = orders.increment();
 * }</pre>
 *
 * <p><b>Connection loss:</b> a write whose reply is lost may have landed; the counter reads again
 * after the reconnect and recognises its own change by its id, so an add is applied exactly once.
 * <b>Session expiry:</b> nothing is lost (the node is persistent); calls fail with SessionExpired.
 * <b>Server failover:</b> a reconnect; as connection loss.
 */
public final class DistributedCounter {
    private final MeerkatClient client;
    private final String path;

    public DistributedCounter(MeerkatClient client, String path) {
        this.client = client;
        this.path = path;
    }

    /** The value now (0 when the node does not exist yet). */
    public long get() throws MeerkatException, InterruptedException {
        for (;;) {
            try {
                return parse(Nodes.get(client.getData(path)).data());
            } catch (MeerkatException.NoNode e) {
                return 0;
            } catch (MeerkatException e) {
                if (!Nodes.isConnectionLoss(e)) {
                    throw e;
                }
            }
        }
    }

    public long increment() throws MeerkatException, InterruptedException {
        return add(1);
    }

    public long decrement() throws MeerkatException, InterruptedException {
        return add(-1);
    }

    /** Adds {@code delta} and returns the new value. */
    public long add(long delta) throws MeerkatException, InterruptedException {
        String changeId = UUID.randomUUID().toString();
        for (;;) {
            NodeData current;
            try {
                current = Nodes.get(client.getData(path));
            } catch (MeerkatException.NoNode e) {
                try {
                    Nodes.get(client.create(path, encode(delta, changeId), CreateMode.PERSISTENT));
                    return delta;
                } catch (MeerkatException.NoNode parentMissing) {
                    Nodes.ensurePath(client, Nodes.parent(path));
                } catch (MeerkatException.NodeExists | MeerkatException.ConnectionLoss raced) {
                    // somebody else created it, or our lost create did: the next read tells
                }
                continue;
            } catch (MeerkatException e) {
                if (Nodes.isConnectionLoss(e)) {
                    continue;
                }
                throw e;
            }
            if (changeId.equals(changeIdOf(current.data()))) {
                return parse(current.data()); // our earlier write landed although its reply was lost
            }
            long next = parse(current.data()) + delta;
            try {
                Nodes.get(client.setData(path, encode(next, changeId), current.stat().version()));
                return next;
            } catch (MeerkatException.BadVersion e) {
                // somebody was faster: read again
            } catch (MeerkatException e) {
                if (!Nodes.isConnectionLoss(e)) {
                    throw e;
                }
            }
        }
    }

    /**
     * Sets the value if nobody changed the node since {@code expected} was read from it.
     *
     * @return whether it was set
     */
    public boolean compareAndSet(long expected, long value) throws MeerkatException, InterruptedException {
        String changeId = UUID.randomUUID().toString();
        NodeData current;
        try {
            current = Nodes.get(client.getData(path));
        } catch (MeerkatException.NoNode e) {
            if (expected != 0) {
                return false;
            }
            try {
                Nodes.get(client.create(path, encode(value, changeId), CreateMode.PERSISTENT));
                return true;
            } catch (MeerkatException.NodeExists raced) {
                return false;
            }
        }
        if (parse(current.data()) != expected) {
            return false;
        }
        try {
            Nodes.get(client.setData(path, encode(value, changeId), current.stat().version()));
            return true;
        } catch (MeerkatException.BadVersion e) {
            return false;
        }
    }

    private static byte[] encode(long value, String changeId) {
        return (value + "\n" + changeId).getBytes(StandardCharsets.UTF_8);
    }

    static long parse(byte[] data) {
        if (data == null || data.length == 0) {
            return 0;
        }
        String s = new String(data, StandardCharsets.UTF_8);
        int nl = s.indexOf('\n');
        return Long.parseLong((nl < 0 ? s : s.substring(0, nl)).trim());
    }

    private static String changeIdOf(byte[] data) {
        if (data == null) {
            return null;
        }
        String s = new String(data, StandardCharsets.UTF_8);
        int nl = s.indexOf('\n');
        return nl < 0 ? null : s.substring(nl + 1);
    }
}
