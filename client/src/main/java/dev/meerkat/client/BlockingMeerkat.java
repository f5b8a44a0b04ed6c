package dev.meerkat.client;

import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.CreateMode;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.protocol.record.ClientInfo;
import dev.meerkat.protocol.record.Stat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The client's operations as blocking calls, for scripts, tools and the CLI ({@link
 * MeerkatClient#sync()}). Each waits at most the timeout given when it was made, and throws the
 * {@link MeerkatException} the operation failed with (OperationTimeout if the wait ran out; the
 * request may still be applied then). Invalid arguments throw IllegalArgumentException.
 *
 * <p>The calls wait on the reply itself, not on the event thread, so they may be used anywhere,
 * inside a watcher too. Watches set here still fire on the event thread.
 */
public final class BlockingMeerkat {
    private final MeerkatClient client;
    private final Duration timeout;

    BlockingMeerkat(MeerkatClient client, Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("negative timeout " + timeout);
        }
        this.client = client;
        this.timeout = timeout;
    }

    public MeerkatClient client() {
        return client;
    }

    public Duration timeout() {
        return timeout;
    }

    public Created create(String path, byte[] data, CreateMode mode) throws MeerkatException, InterruptedException {
        return await(client.createPacket(path, data, ACL.OPEN_ACL_UNSAFE, mode, -1));
    }

    public Created create(String path, byte[] data, List<ACL> acl, CreateMode mode)
            throws MeerkatException, InterruptedException {
        return await(client.createPacket(path, data, acl, mode, -1));
    }

    public Created create(String path, byte[] data, List<ACL> acl, CreateMode mode, long ttlMillis)
            throws MeerkatException, InterruptedException {
        return await(client.createPacket(path, data, acl, mode, ttlMillis));
    }

    public void delete(String path) throws MeerkatException, InterruptedException {
        delete(path, -1);
    }

    public void delete(String path, int version) throws MeerkatException, InterruptedException {
        await(client.deletePacket(path, version));
    }

    public Optional<Stat> exists(String path) throws MeerkatException, InterruptedException {
        return exists(path, null);
    }

    public Optional<Stat> exists(String path, Watcher watcher) throws MeerkatException, InterruptedException {
        return await(client.existsPacket(path, watcher));
    }

    public NodeData getData(String path) throws MeerkatException, InterruptedException {
        return getData(path, null);
    }

    public NodeData getData(String path, Watcher watcher) throws MeerkatException, InterruptedException {
        return await(client.getDataPacket(path, watcher));
    }

    public Stat setData(String path, byte[] data) throws MeerkatException, InterruptedException {
        return setData(path, data, -1);
    }

    public Stat setData(String path, byte[] data, int version) throws MeerkatException, InterruptedException {
        return await(client.setDataPacket(path, data, version));
    }

    public NodeAcl getACL(String path) throws MeerkatException, InterruptedException {
        return await(client.getAclPacket(path));
    }

    public Stat setACL(String path, List<ACL> acl, int aclVersion) throws MeerkatException, InterruptedException {
        return await(client.setAclPacket(path, acl, aclVersion));
    }

    public List<String> getChildren(String path) throws MeerkatException, InterruptedException {
        return getChildren(path, null);
    }

    public List<String> getChildren(String path, Watcher watcher) throws MeerkatException, InterruptedException {
        return await(client.getChildrenPacket(path, watcher));
    }

    public Children getChildrenWithStat(String path) throws MeerkatException, InterruptedException {
        return getChildrenWithStat(path, null);
    }

    public Children getChildrenWithStat(String path, Watcher watcher) throws MeerkatException, InterruptedException {
        return await(client.getChildren2Packet(path, watcher));
    }

    public void sync(String path) throws MeerkatException, InterruptedException {
        await(client.syncPacket(path));
    }

    public List<String> getEphemerals() throws MeerkatException, InterruptedException {
        return getEphemerals("/");
    }

    public List<String> getEphemerals(String prefixPath) throws MeerkatException, InterruptedException {
        return await(client.getEphemeralsPacket(prefixPath));
    }

    public int getAllChildrenNumber(String path) throws MeerkatException, InterruptedException {
        return await(client.getAllChildrenNumberPacket(path));
    }

    public void addWatch(String path, Watcher watcher, WatchMode mode) throws MeerkatException, InterruptedException {
        await(client.addWatchPacket(path, watcher, mode));
    }

    public void removeWatches(String path, Watcher watcher, WatchType type, boolean local)
            throws MeerkatException, InterruptedException {
        if (watcher == null) {
            throw new NullPointerException("watcher");
        }
        await(client.removeWatchesPacket(path, watcher, type, local));
    }

    public void removeAllWatches(String path, WatchType type, boolean local)
            throws MeerkatException, InterruptedException {
        await(client.removeWatchesPacket(path, null, type, local));
    }

    public List<ClientInfo> whoAmI() throws MeerkatException, InterruptedException {
        return await(client.whoAmIPacket());
    }

    public void addAuthInfo(String scheme, byte[] auth) throws MeerkatException, InterruptedException {
        await(client.addAuthPacket(scheme, auth));
    }

    /** Commits a transaction built with {@link MeerkatClient#transaction()}. */
    public List<OpResult> commit(Transaction transaction) throws MeerkatException, InterruptedException {
        return transaction.size() == 0 ? List.of() : await(transaction.packet());
    }

    /** Runs the reads of a {@link MeerkatClient#readTransaction()}. */
    public List<OpResult> commit(ReadTransaction reads) throws MeerkatException, InterruptedException {
        return reads.size() == 0 ? List.of() : await(reads.packet());
    }

    private <T> T await(Packet<T> p) throws MeerkatException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        client.dispatch(p);
        try {
            return p.result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw MeerkatException.of(Code.OPERATIONTIMEOUT, p.path,
                    "no reply within " + timeout.toMillis() + " ms; the request may still be applied");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof MeerkatException m) {
                throw m;
            }
            if (cause instanceof InterruptedException ie) {
                throw ie;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }
}
