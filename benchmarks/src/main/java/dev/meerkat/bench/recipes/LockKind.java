package dev.meerkat.bench.recipes;

import dev.meerkat.client.ClientOptions;
import dev.meerkat.client.MeerkatClient;
import dev.meerkat.recipes.DistributedLock;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.RetryNTimes;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A lock implementation under test: opens one contender, i.e. one client session with one lock
 * object on the shared path, for one thread.
 */
public interface LockKind {
    /** The session timeout of every contender's session. */
    int SESSION_TIMEOUT_MS = 30_000;

    /** Short name used in the JSON and progress lines, e.g. {@code ours}. */
    String id();

    /** What the figures call it. */
    String display();

    /** A new session on {@code connect} and a lock on {@code path} in it. */
    Contender open(String connect, String path) throws IOException, InterruptedException;

    /** One thread's session and lock. */
    interface Contender extends AutoCloseable {
        /** Blocks until this contender holds the lock. */
        void acquire() throws Exception;

        void release() throws Exception;

        /** Watch wake-ups of this contender's lock so far, or -1 when the lock does not count them. */
        default long wakeups() {
            return -1;
        }

        /** Ends the session. */
        @Override
        void close();
    }

    /** Meerkat's {@link DistributedLock} on Meerkat's own client, one {@link MeerkatClient} per contender. */
    LockKind OURS = new LockKind() {
        @Override
        public String id() {
            return "ours";
        }

        @Override
        public String display() {
            return "Meerkat DistributedLock";
        }

        @Override
        public Contender open(String connect, String path) throws IOException, InterruptedException {
            ClientOptions options = ClientOptions.builder().sessionTimeout(Duration.ofMillis(SESSION_TIMEOUT_MS))
                    .build();
            MeerkatClient client;
            try {
                client = MeerkatClient.connect(connect, options).get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new IOException("no session with " + connect + ": " + e.getCause(), e.getCause());
            } catch (TimeoutException e) {
                throw new IOException("no session with " + connect + " within 30 s", e);
            }
            DistributedLock lock = new DistributedLock(client, path);
            return new Contender() {
                @Override
                public void acquire() throws Exception {
                    lock.lock();
                }

                @Override
                public void release() throws Exception {
                    lock.unlock();
                }

                @Override
                public long wakeups() {
                    return lock.watchWakeups();
                }

                @Override
                public void close() {
                    client.close();
                }
            };
        }
    };

    /** Curator 5.9.0's {@link InterProcessMutex}, one {@link CuratorFramework} per contender. */
    LockKind CURATOR = new LockKind() {
        @Override
        public String id() {
            return "curator";
        }

        @Override
        public String display() {
            return "Curator InterProcessMutex";
        }

        @Override
        public Contender open(String connect, String path) throws IOException, InterruptedException {
            CuratorFramework client = CuratorFrameworkFactory.builder().connectString(connect)
                    .sessionTimeoutMs(SESSION_TIMEOUT_MS).connectionTimeoutMs(15_000)
                    .retryPolicy(new RetryNTimes(3, 100)).build();
            client.start();
            if (!client.blockUntilConnected(30, TimeUnit.SECONDS)) {
                client.close();
                throw new IOException("Curator: no session with " + connect + " within 30 s");
            }
            InterProcessMutex mutex = new InterProcessMutex(client, path);
            return new Contender() {
                @Override
                public void acquire() throws Exception {
                    mutex.acquire();
                }

                @Override
                public void release() throws Exception {
                    mutex.release();
                }

                @Override
                public void close() {
                    client.close();
                }
            };
        }
    };
}
