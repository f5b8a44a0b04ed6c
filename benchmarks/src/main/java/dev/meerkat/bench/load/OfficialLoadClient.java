package dev.meerkat.bench.load;

import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

import java.io.IOException;

/**
 * Apache ZooKeeper's 3.9.5 Java client, asynchronous API. The request's context object carries
 * the start time and the completion, so one stateless callback serves every request (one
 * allocation per request, as boxing the start time alone would need).
 */
final class OfficialLoadClient implements LoadClient {
    private static final int OK = KeeperException.Code.OK.intValue();

    @Override
    public String name() {
        return "official";
    }

    @Override
    public String display() {
        return "ZooKeeper 3.9.5 client";
    }

    @Override
    public Session connect(String connectString, int sessionTimeoutMs) throws IOException, InterruptedException {
        return new ZkSession(Clients.connect(connectString, sessionTimeoutMs));
    }

    /** What a request carries to its callback. */
    private record Pending(long startNanos, Completion done) {
    }

    private static final class Callback implements AsyncCallback.StatCallback, AsyncCallback.DataCallback,
            AsyncCallback.Create2Callback, AsyncCallback.VoidCallback {
        static final Callback INSTANCE = new Callback();

        private static void done(int rc, Object ctx) {
            Pending p = (Pending) ctx;
            p.done().completed(p.startNanos(), rc == OK ? null : KeeperException.Code.get(rc).name());
        }

        @Override
        public void processResult(int rc, String path, Object ctx, Stat stat) {
            done(rc, ctx);
        }

        @Override
        public void processResult(int rc, String path, Object ctx, byte[] data, Stat stat) {
            done(rc, ctx);
        }

        @Override
        public void processResult(int rc, String path, Object ctx, String name, Stat stat) {
            done(rc, ctx);
        }

        @Override
        public void processResult(int rc, String path, Object ctx) {
            done(rc, ctx);
        }
    }

    private record ZkSession(ZooKeeper zk) implements Session {
        @Override
        public void create(String path, byte[] data, Completion done, long startNanos) {
            zk.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, Callback.INSTANCE,
                    new Pending(startNanos, done));
        }

        @Override
        public void setData(String path, byte[] data, Completion done, long startNanos) {
            zk.setData(path, data, -1, Callback.INSTANCE, new Pending(startNanos, done));
        }

        @Override
        public void getData(String path, Completion done, long startNanos) {
            zk.getData(path, false, Callback.INSTANCE, new Pending(startNanos, done));
        }

        @Override
        public void exists(String path, Completion done, long startNanos) {
            zk.exists(path, false, Callback.INSTANCE, new Pending(startNanos, done));
        }

        @Override
        public void delete(String path, Completion done, long startNanos) {
            zk.delete(path, -1, Callback.INSTANCE, new Pending(startNanos, done));
        }

        @Override
        public void close() {
            Clients.closeQuietly(zk);
        }
    }
}
