package dev.meerkat.bench.load;

import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/** Official-client helpers shared by the load generator and the comparison. */
public final class Clients {
    private Clients() {
    }

    /** A connected handle, or IOException if the session is not established within 30 s. */
    public static ZooKeeper connect(String connect, int sessionTimeoutMs) throws IOException, InterruptedException {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connect, sessionTimeoutMs, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(30, TimeUnit.SECONDS)) {
            zk.close();
            throw new IOException("no session with " + connect + " within 30 s");
        }
        return zk;
    }

    /** Closes without letting an interrupt or a close error hide what the caller is doing. */
    public static void closeQuietly(ZooKeeper zk) {
        if (zk == null) {
            return;
        }
        try {
            zk.close(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the session ends on the server by timeout; nothing else to do
        }
    }

    /** Creates {@code path} with empty data unless it exists. */
    public static void ensure(ZooKeeper zk, String path) throws IOException, InterruptedException {
        try {
            zk.create(path, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        } catch (KeeperException.NodeExistsException e) {
            // already there
        } catch (KeeperException e) {
            throw new IOException("cannot create " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes each of {@code count} nodes exist with exactly {@code value} as data: created where
     * missing, overwritten where present. Up to {@code outstanding} requests are in flight at once.
     *
     * @param onProgress called with the number done so far, from the client's event thread, about
     *     every thousand nodes; may be null
     */
    public static void putAll(ZooKeeper zk, IntFunction<String> pathOf, int count, byte[] value, int outstanding,
            java.util.function.IntConsumer onProgress) throws IOException, InterruptedException {
        Semaphore permits = new Semaphore(outstanding);
        CountDownLatch done = new CountDownLatch(count);
        AtomicReference<String> failure = new AtomicReference<>();
        AsyncCallback.StatCallback afterSet = (rc, path, ctx, stat) -> {
            if (rc != KeeperException.Code.OK.intValue()) {
                failure.compareAndSet(null, path + ": " + KeeperException.Code.get(rc));
            }
            permits.release();
            done.countDown();
            report(onProgress, count - (int) done.getCount());
        };
        AsyncCallback.StringCallback afterCreate = (rc, path, ctx, name) -> {
            if (rc == KeeperException.Code.NODEEXISTS.intValue()) {
                zk.setData(path, value, -1, afterSet, null);
                return;
            }
            if (rc != KeeperException.Code.OK.intValue()) {
                failure.compareAndSet(null, path + ": " + KeeperException.Code.get(rc));
            }
            permits.release();
            done.countDown();
            report(onProgress, count - (int) done.getCount());
        };
        for (int k = 0; k < count && failure.get() == null; k++) {
            permits.acquire();
            zk.create(pathOf.apply(k), value, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, afterCreate, null);
        }
        if (failure.get() == null && !done.await(120, TimeUnit.SECONDS)) {
            throw new IOException("nodes not all written after 120 s: " + done.getCount() + " left");
        }
        if (failure.get() != null) {
            throw new IOException("cannot write " + failure.get());
        }
    }

    private static void report(java.util.function.IntConsumer onProgress, int done) {
        if (onProgress != null && done % 1000 == 0) {
            onProgress.accept(done);
        }
    }
}
