package dev.meerkat.recipes;

import dev.meerkat.client.MeerkatClient;

import java.util.List;

/**
 * A distributed read-write lock: any number of readers at once, or one writer. Readers and writers
 * queue in one directory in arrival order; a writer waits for the node just before its own
 * (whatever kind), a reader waits only for the nearest earlier writer. So a reader never overtakes
 * a writer that arrived before it, and writers do not starve.
 *
 * <pre>{@code
 * ReadWriteLock rw = new ReadWriteLock(client, "/locks/catalog");
 * rw.readLock().lock();
 * try { read(); } finally { rw.readLock().unlock(); }
 * }</pre>
 *
 * <p>Both halves are {@link DistributedLock}s, reentrant per thread, and behave as it does on
 * connection loss (SUSPENDED, then RESTORED or LOST), session expiry (LOST; the nodes vanish and
 * the next in line proceeds) and server failover (a reconnect: SUSPENDED then RESTORED). A thread
 * that holds the write lock must not ask for the read lock (it would wait for itself).
 */
public final class ReadWriteLock {
    static final String READ = "read-";
    static final String WRITE = "write-";

    private final DistributedLock readLock;
    private final DistributedLock writeLock;

    public ReadWriteLock(MeerkatClient client, String path) {
        this(client, path, event -> { });
    }

    public ReadWriteLock(MeerkatClient client, String path, DistributedLock.Listener listener) {
        this.writeLock = new DistributedLock(new LockInternals(client, path, WRITE, LockInternals.EXCLUSIVE), listener);
        this.readLock = new DistributedLock(new LockInternals(client, path, READ, ReadWriteLock::readerRule), listener);
    }

    private static LockInternals.Decision readerRule(List<String> sorted, int ownIndex) {
        for (int i = ownIndex - 1; i >= 0; i--) {
            if (isWriter(sorted.get(i))) {
                return LockInternals.Decision.waitFor(sorted.get(i));
            }
        }
        return LockInternals.Decision.ACQUIRED;
    }

    private static boolean isWriter(String name) {
        int at = name.length() - 10 - WRITE.length();
        return at >= 0 && name.startsWith(WRITE, at);
    }

    public DistributedLock readLock() {
        return readLock;
    }

    public DistributedLock writeLock() {
        return writeLock;
    }
}
