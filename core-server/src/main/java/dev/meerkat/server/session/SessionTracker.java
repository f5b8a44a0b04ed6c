package dev.meerkat.server.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The sessions a server knows about and when each of them expires.
 *
 * <p>Expiry works like ZooKeeper's {@code ExpiryQueue}: a touched session is put in the bucket
 * {@code (t / tickTime + 1) * tickTime} for {@code t = now + timeout}, so a session lives for at
 * least its timeout and at most one tick longer, and expiring is a walk over whole buckets rather
 * than a per-session timer.
 *
 * <p>Used from a single owner thread; time is always passed in, so the tracker reads no clock.
 */
public final class SessionTracker {
    private static final Logger LOG = LoggerFactory.getLogger(SessionTracker.class);

    /** Marks a container node's ephemeralOwner (§5.4), so no session may have this id. */
    private static final long RESERVED_CONTAINER_OWNER = Long.MIN_VALUE;
    private static final int PASSWORD_LENGTH = 16;

    private final int tickTime;
    private final long serverId;
    private final SecureRandom random = new SecureRandom();
    private final Map<Long, Session> sessions = new LinkedHashMap<>();
    private final TreeMap<Long, Set<Long>> buckets = new TreeMap<>();
    private long nextId;

    /**
     * @param tickTime     the bucket width in milliseconds
     * @param serverId     0..255; it becomes the top byte of every session id this tracker makes,
     *                     which keeps ids from different servers of an ensemble apart
     * @param idSeedMillis a millisecond clock value taken at start-up, so that a restarted server
     *                     does not hand out the ids of its previous run again
     */
    public SessionTracker(int tickTime, long serverId, long idSeedMillis) {
        if (tickTime <= 0) {
            throw new IllegalArgumentException("tickTime must be positive: " + tickTime);
        }
        if (serverId < 0 || serverId > 255) {
            throw new IllegalArgumentException("serverId must be in 0..255 to fit the top byte of a session id: "
                    + serverId);
        }
        this.tickTime = tickTime;
        this.serverId = serverId;
        this.nextId = initialSessionId(serverId, idSeedMillis);
    }

    static long initialSessionId(long serverId, long idSeedMillis) {
        return (serverId << 56) | ((idSeedMillis << 24) >>> 8);
    }

    /** Clamps a client's requested timeout into [min, max]; max wins if they conflict, as in ZooKeeper. */
    public static int negotiateTimeout(int requested, int min, int max) {
        int timeout = requested;
        if (timeout < min) {
            timeout = min;
        }
        if (timeout > max) {
            timeout = max;
        }
        return timeout;
    }

    public Session createSession(int timeout, long nowMillis) {
        requireTimeout(timeout);
        byte[] password = new byte[PASSWORD_LENGTH];
        random.nextBytes(password);
        Session session = new Session(takeNextId(), timeout, password);
        sessions.put(session.id(), session);
        schedule(session, nowMillis);
        return session;
    }

    /**
     * Re-creates a session that is known from elsewhere (a replayed createSession transaction, a
     * snapshot, the leader). The log is the authority, so an existing entry with the same id is
     * replaced.
     */
    public Session restoreSession(long id, int timeout, byte[] passwd, long nowMillis) {
        requireTimeout(timeout);
        if (passwd == null) {
            throw new IllegalArgumentException("password must not be null");
        }
        Session old = sessions.remove(id);
        if (old != null) {
            unschedule(old);
        }
        Session session = new Session(id, timeout, passwd);
        sessions.put(id, session);
        schedule(session, nowMillis);
        // Ids below the top byte compare as unsigned numbers; server ids above 127 make them negative.
        if ((id >>> 56) == serverId && Long.compareUnsigned(id, nextId) >= 0) {
            nextId = id + 1;
        }
        return session;
    }

    /** Compares in constant time, so the reply time does not tell an attacker how much of a guess was right. */
    public boolean checkPassword(long id, byte[] passwd) {
        Session session = sessions.get(id);
        if (session == null || session.isClosing() || passwd == null) {
            return false;
        }
        return MessageDigest.isEqual(session.passwordRef(), passwd);
    }

    /** Postpones expiry to the bucket after {@code now + timeout}. False if the session is unknown or closing. */
    public boolean touch(long id, long nowMillis) {
        Session session = sessions.get(id);
        if (session == null || session.isClosing()) {
            return false;
        }
        schedule(session, nowMillis);
        return true;
    }

    /**
     * Changes the timeout used from the next {@link #touch} on (a re-attach negotiates again); the
     * current bucket stays as it is. Unknown ids are ignored.
     */
    public void setTimeout(long id, int timeout) {
        requireTimeout(timeout);
        Session session = sessions.get(id);
        if (session != null) {
            session.setTimeout(timeout);
        }
    }

    /**
     * Takes every bucket due at {@code now} out of the queue and returns its sessions, now marked
     * closing, in bucket order. Sessions that were already closing are dropped from the queue but
     * not returned: their close is already under way and a second one would only repeat it.
     */
    public List<Session> expire(long nowMillis) {
        List<Session> expired = new ArrayList<>();
        while (!buckets.isEmpty() && buckets.firstKey() <= nowMillis) {
            Map.Entry<Long, Set<Long>> bucket = buckets.pollFirstEntry();
            for (long id : bucket.getValue()) {
                Session session = sessions.get(id);
                if (session != null && !session.isClosing()) {
                    session.markClosing();
                    expired.add(session);
                }
            }
        }
        if (!expired.isEmpty() && LOG.isDebugEnabled()) {
            for (Session session : expired) {
                LOG.debug("Expiring session 0x{}, timeout of {} ms exceeded", Long.toHexString(session.id()),
                        session.timeout());
            }
        }
        return expired;
    }

    /**
     * Marks a session whose close has been asked for. It stays in its bucket, so the {@code dump}
     * command still shows it, but it can no longer be touched.
     */
    public void setClosing(long id) {
        Session session = sessions.get(id);
        if (session != null) {
            session.markClosing();
        }
    }

    public Session remove(long id) {
        Session session = sessions.remove(id);
        if (session != null) {
            unschedule(session);
        }
        return session;
    }

    public Session get(long id) {
        return sessions.get(id);
    }

    public boolean isValid(long id) {
        Session session = sessions.get(id);
        return session != null && !session.isClosing();
    }

    /** All sessions the tracker holds, closing ones included. */
    public int size() {
        return sessions.size();
    }

    /** When {@link #expire} will next find something to do; {@link Long#MAX_VALUE} if never. */
    public long nextExpiryTime() {
        return buckets.isEmpty() ? Long.MAX_VALUE : buckets.firstKey();
    }

    /** A snapshot of the expiry queue: bucket time to the session ids in it, earliest first. */
    public SortedMap<Long, List<Long>> buckets() {
        TreeMap<Long, List<Long>> copy = new TreeMap<>();
        for (Map.Entry<Long, Set<Long>> bucket : buckets.entrySet()) {
            copy.put(bucket.getKey(), List.copyOf(bucket.getValue()));
        }
        return Collections.unmodifiableSortedMap(copy);
    }

    /** A live, read-only view in creation order. */
    public Collection<Session> sessions() {
        return Collections.unmodifiableCollection(sessions.values());
    }

    private long takeNextId() {
        long id = nextId;
        while (id == 0 || id == RESERVED_CONTAINER_OWNER || sessions.containsKey(id)) {
            id++;
        }
        nextId = id + 1;
        return id;
    }

    private void schedule(Session session, long nowMillis) {
        long expiry = roundToNextTick(nowMillis + session.timeout());
        Set<Long> current = buckets.get(session.expiryTime());
        if (current != null && current.contains(session.id())) {
            if (session.expiryTime() == expiry) {
                return;
            }
            removeFromBucket(session.expiryTime(), current, session.id());
        }
        buckets.computeIfAbsent(expiry, t -> new LinkedHashSet<>()).add(session.id());
        session.setExpiryTime(expiry);
    }

    private void unschedule(Session session) {
        Set<Long> bucket = buckets.get(session.expiryTime());
        if (bucket != null) {
            removeFromBucket(session.expiryTime(), bucket, session.id());
        }
    }

    private void removeFromBucket(long time, Set<Long> bucket, long id) {
        bucket.remove(id);
        if (bucket.isEmpty()) {
            buckets.remove(time);
        }
    }

    /** Always strictly after {@code time}, even on a tick boundary, exactly as ZooKeeper rounds. */
    private long roundToNextTick(long time) {
        return (Math.floorDiv(time, tickTime) + 1) * tickTime;
    }

    private static void requireTimeout(int timeout) {
        if (timeout < 0) {
            throw new IllegalArgumentException("session timeout must not be negative: " + timeout);
        }
    }
}
