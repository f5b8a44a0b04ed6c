package dev.meerkat.server.request;

import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.jute.Jute;
import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.Record;
import dev.meerkat.protocol.Requests;
import dev.meerkat.server.storage.SnapshotSession;
import io.netty.buffer.Unpooled;
import dev.meerkat.protocol.record.*;
import dev.meerkat.server.admin.ServerStats;
import dev.meerkat.server.auth.AclChecker;
import dev.meerkat.server.auth.AuthFailedException;
import dev.meerkat.server.auth.AuthenticationProvider;
import dev.meerkat.server.config.ServerConfig;
import dev.meerkat.server.net.ClientConnection;
import dev.meerkat.server.session.Session;
import dev.meerkat.server.session.SessionTracker;
import dev.meerkat.server.tree.DataTree;
import dev.meerkat.server.txn.CloseSessionTxn;
import dev.meerkat.server.txn.CreateSessionTxn;
import dev.meerkat.server.txn.ErrorTxn;
import dev.meerkat.server.txn.MultiTxn;
import dev.meerkat.server.txn.ProcessTxnResult;
import dev.meerkat.server.txn.Txn;
import dev.meerkat.server.txn.TxnHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.meerkat.server.storage.SnapshotSession;
import dev.meerkat.server.storage.SnapshotTask;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The single owner of the data tree, the sessions and the watches. Every request of every
 * connection, every session expiry and every container reap runs here, one at a time, in the order
 * it was submitted; so a session's requests are answered in its xid order, reads keep their place
 * among its writes, and no lock guards the tree.
 *
 * <p>Writes go prepare → txn → durable → apply → reply. Standalone, a txn is durable once the
 * {@link TxnSink} (the group-commit log) has fsynced it. In an ensemble ({@link #joinEnsemble}) the
 * leader prepares every write and proposes it through the {@link EnsembleMember}, followers forward
 * theirs, and every server applies what commits in {@link #applyCommitted}; the ZAB node lives on
 * this same thread.
 */
public final class RequestProcessor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RequestProcessor.class);
    private static final int BATCH = 1024;
    private static final int SNAPSHOT_SLICE = 1000;

    private final ServerConfig config;
    private DataTree tree;
    private final TxnSink sink;
    private PrepView pendingChanges;
    private long nextZxid;
    private boolean failed;
    /** Where snapshots go; null keeps none (a tree that lives only in memory). */
    private final Path snapshotDir;
    private final Random jitter = new Random();
    private SnapshotTask snapshot;
    /**
     * The file of the last snapshot started. The next one waits until it is complete: one snapshot
     * at a time per directory (SnapshotWriter's contract; ZooKeeper also skips a snapshot while the
     * previous one is still being written), else writers pile up under load, each with its backlog.
     */
    private CompletableFuture<Path> snapshotFile = CompletableFuture.completedFuture(null);
    private long txnsSinceSnapshot;
    private long snapshotThreshold;
    private final SessionTracker sessions;
    private final AclChecker acl;
    private final Prep prep;
    private ReadOps reads;
    /** The ensemble this server belongs to; null for a standalone server. */
    private EnsembleMember ensemble;
    /** Whether clients are served: always when standalone; in an ensemble while synced with a leader. */
    private boolean open = true;
    /** Writes of this server's clients waiting for their txn to commit, by session, in xid order. */
    private final Map<Long, ArrayDeque<Pending>> pendingBySession = new HashMap<>();
    /** Sessions created here whose createSession txn has not committed yet. */
    private final Set<Long> uncommittedSessions = new HashSet<>();
    /** Syncs waiting for this server to apply through a zxid. */
    private final List<WaitingSync> waitingSyncs = new ArrayList<>();
    /** Syncs a follower sent to the leader, waiting for its answer, by session and xid. */
    private final Map<Long, Map<Integer, WaitingSync>> syncsAtLeader = new HashMap<>();
    /** Sessions whose clients were heard from since the last Touch to the leader. */
    private final Set<Long> touched = new HashSet<>();
    /** The last zxid this leader proposed. */
    private long lastProposedZxid;
    /** The zxid of the last committed txn applied (ensemble). */
    private long lastAppliedZxid;
    /** Work a follower sent before this leader opened; run once it has. */
    private final List<Runnable> heldForwards = new ArrayList<>();

    private record Pending(int cxid, Consumer<ProcessTxnResult> then) {
    }

    private static final class WaitingSync {
        final ClientConnection cnxn;
        final Slot slot;
        final String path;
        long target = Long.MAX_VALUE;

        WaitingSync(ClientConnection cnxn, Slot slot, String path) {
            this.cnxn = cnxn;
            this.slot = slot;
            this.path = path;
        }
    }
    private final ServerStats stats = new ServerStats();

    private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final ConcurrentLinkedQueue<ClientConnection> throttled = new ConcurrentLinkedQueue<>();
    private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();
    private final Map<Long, ClientConnection> bySession = new HashMap<>();
    private final List<ClientConnection> toFlush = new ArrayList<>();
    private final Thread thread;
    private final ScheduledExecutorService timer;
    private volatile boolean running = true;
    /** Runs after every batch of tasks: where the ensemble hands its state machine's effects out. */
    private Runnable batchEnd;
    /** How often empty containers and expired TTL nodes are looked for (ZooKeeper's property and default). */
    private final long containerCheckIntervalMs = Long.getLong("znode.container.checkIntervalMs", 60_000);
    private final int containerMaxPerMinute = Integer.getInteger("znode.container.maxPerMinute", 10_000);

    /** A processor over an in-memory tree that keeps nothing on disk (for tests of the pipeline). */
    public RequestProcessor(ServerConfig config, long serverId) {
        this(config, serverId, new DataTree(), TxnSink.IN_MEMORY, null);
    }

    /**
     * @param tree the recovered tree; the processor owns it from now on
     * @param sink where txns are made durable before they are applied
     * @param snapshotDir where a snapshot is written every snapCount txns or so; null for none
     */
    public RequestProcessor(ServerConfig config, long serverId, DataTree tree, TxnSink sink, Path snapshotDir) {
        this.config = config;
        this.snapshotDir = snapshotDir;
        this.snapshotThreshold = nextSnapshotThreshold();
        this.tree = tree;
        this.sink = sink;
        this.pendingChanges = new PrepView(tree);
        this.nextZxid = tree.lastProcessedZxid() + 1;
        this.sessions = new SessionTracker(config.tickTime(), serverId, System.nanoTime() / 1_000_000);
        this.acl = new AclChecker(config.superDigest(), config.skipAcl());
        this.prep = new Prep(acl, config.extendedTypesEnabled());
        this.reads = new ReadOps(tree, acl);
        this.thread = new Thread(this::run, "meerkat-request-processor");
        this.thread.setDaemon(true);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "meerkat-ticker");
            t.setDaemon(true);
            return t;
        });
    }

    /** Brings back a session found in the snapshot or the log; it expires on its normal timeout. */
    public void restoreSession(long id, int timeout, byte[] passwd) {
        sessions.restoreSession(id, timeout, passwd, now());
    }

    /**
     * Makes this processor a member of an ensemble: from now on it serves clients only while
     * {@link #setOpen} says so, and every txn goes through {@code member}. Call before {@link #start}.
     */
    public void joinEnsemble(EnsembleMember member) {
        this.ensemble = member;
        this.open = false;
        // several members may share a process (tests, EmbeddedEnsemble): say whose thread it is
        thread.setName("meerkat-request-processor-" + member.myid());
    }

    /** Sets what runs on the processor thread after every batch of tasks. Call before {@link #start}. */
    public void onBatchEnd(Runnable task) {
        this.batchEnd = task;
    }

    /** Runs {@code task} on the processor thread, after what is already queued. */
    public void execute(Runnable task) {
        queue.add(task);
    }

    public void start() {
        thread.start();
        timer.scheduleAtFixedRate(() -> queue.add(this::expireSessions), config.tickTime(), config.tickTime(),
                TimeUnit.MILLISECONDS);
        timer.scheduleAtFixedRate(() -> queue.add(this::reapContainers), containerCheckIntervalMs,
                containerCheckIntervalMs, TimeUnit.MILLISECONDS);
    }

    // ---------------------------------------------------------------- entry points (any thread)

    public void submit(Request request) {
        outstanding.incrementAndGet();
        stats.received();
        queue.add(() -> {
            try {
                handle(request);
            } finally {
                outstanding.decrementAndGet();
            }
        });
    }

    /** Runs {@code f} on the processor thread (the only thread that may read the tree). */
    public <T> CompletableFuture<T> query(Function<RequestProcessor, T> f) {
        CompletableFuture<T> result = new CompletableFuture<>();
        queue.add(() -> {
            try {
                result.complete(f.apply(this));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    public void connectionOpened(ClientConnection c) {
        connections.add(c);
    }

    public void connectionClosed(ClientConnection c) {
        connections.remove(c);
        queue.add(() -> {
            tree.removeWatcher(c);
            long sid = c.sessionId();
            if (sid != 0 && bySession.get(sid) == c) {
                bySession.remove(sid);
                // Replies that would have gone to it have nowhere to go; the txns still commit.
                pendingBySession.remove(sid);
                syncsAtLeader.remove(sid);
            }
            waitingSyncs.removeIf(w -> w.cnxn == c);
        });
    }

    public boolean overloaded() {
        int limit = config.globalOutstandingLimit();
        return limit > 0 && outstanding.get() > limit;
    }

    /** Stops reading from a connection until the backlog drains (called on its event loop). */
    public void throttle(ClientConnection c) {
        c.setThrottled(true);
        throttled.add(c);
    }

    public AclChecker aclChecker() {
        return acl;
    }

    public ServerStats stats() {
        return stats;
    }

    public Collection<ClientConnection> connections() {
        return Collections.unmodifiableSet(connections);
    }

    public int outstandingRequests() {
        return outstanding.get();
    }

    // -------------------------------------------------- state read by four-letter words (own thread)

    public DataTree tree() {
        return tree;
    }

    public SessionTracker sessions() {
        return sessions;
    }

    public ServerConfig config() {
        return config;
    }

    // ------------------------------------------------------------------------------ the loop

    private void run() {
        while (running) {
            Runnable task;
            try {
                // While a snapshot is being taken, idle moments go to it instead of waiting.
                task = snapshot != null ? queue.poll() : queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (task == null) {
                stepSnapshot();
                continue;
            }
            int n = 0;
            do {
                runSafely(task);
            } while (++n < BATCH && (task = queue.poll()) != null);
            if (batchEnd != null) {
                runSafely(batchEnd);
            }
            for (ClientConnection c : toFlush) {
                c.flushIfDirty();
            }
            toFlush.clear();
            unthrottle();
            stepSnapshot();
        }
        if (snapshot != null) {
            snapshot.abort();
        }
    }

    /** ZooKeeper randomises the interval so that the servers of an ensemble do not snapshot together. */
    private long nextSnapshotThreshold() {
        int count = config.snapCount();
        return count / 2 + jitter.nextInt(Math.max(1, count / 2));
    }

    private void maybeStartSnapshot() {
        if (snapshotDir == null || snapshot != null || !snapshotFile.isDone()
                || txnsSinceSnapshot < snapshotThreshold) {
            return;
        }
        startSnapshot();
    }

    /**
     * Writes a snapshot of everything applied so far and completes once it is on disk (null if the
     * last snapshot already holds every txn, or this processor keeps none). It runs on the
     * processor's thread and holds every request up until the tree is walked: for a clean stop,
     * so that the next start loads the snapshot instead of replaying the log.
     */
    public CompletableFuture<Path> snapshotNow() {
        CompletableFuture<Path> result = new CompletableFuture<>();
        queue.add(() -> {
            try {
                if (snapshotDir == null || (txnsSinceSnapshot == 0 && snapshot == null)) {
                    snapshotFile.whenComplete((p, e) -> result.complete(e == null ? p : null));
                    return;
                }
                finishSnapshot();
                if (txnsSinceSnapshot > 0) {
                    snapshotFile.handle((p, e) -> null).join();
                    startSnapshot();
                    finishSnapshot();
                }
                snapshotFile.whenComplete((p, e) -> {
                    if (e != null) {
                        result.completeExceptionally(e);
                    } else {
                        result.complete(p);
                    }
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** Steps the snapshot in progress to its end, waiting for the writer when it is behind. */
    private void finishSnapshot() {
        while (snapshot != null) {
            stepSnapshot();
            if (snapshot != null) {
                java.util.concurrent.locks.LockSupport.parkNanos(50_000);
            }
        }
    }

    private void startSnapshot() {
        List<SnapshotSession> live = new ArrayList<>();
        for (Session s : sessions.sessions()) {
            if (!s.isClosing()) {
                live.add(new SnapshotSession(s.id(), s.timeout(), s.password()));
            }
        }
        txnsSinceSnapshot = 0;
        snapshotThreshold = nextSnapshotThreshold();
        snapshot = SnapshotTask.start(tree, snapshotDir, live);
        snapshotFile = snapshot.completion();
        LOG.info("Taking a snapshot at zxid 0x{}", Long.toHexString(snapshot.startZxid()));
    }

    /** A slice of about a millisecond: the snapshot never holds writes up for longer. */
    private void stepSnapshot() {
        if (snapshot == null || !snapshot.step(SNAPSHOT_SLICE)) {
            return;
        }
        SnapshotTask done = snapshot;
        snapshot = null;
        done.completion().whenComplete((file, error) -> {
            if (error != null) {
                LOG.error("Snapshot at zxid 0x{} failed; the log still holds every txn", Long.toHexString(done.startZxid()),
                        error);
            } else {
                LOG.info("Snapshot {} written", file);
                if (ensemble != null) {
                    queue.add(() -> ensemble.snapshotWritten(done.startZxid(), file));
                }
            }
        });
    }

    private void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.error("Unexpected failure in the request processor; the request is dropped", e);
        }
    }

    private void unthrottle() {
        if (throttled.isEmpty() || overloaded()) {
            return;
        }
        ClientConnection c;
        while ((c = throttled.poll()) != null) {
            c.setThrottled(false);
        }
    }

    /** Called by a connection the first time it writes in a batch. */
    public void needsFlush(ClientConnection c) {
        toFlush.add(c);
    }

    // ------------------------------------------------------------------------------ requests

    private void handle(Request r) {
        ClientConnection c = r.cnxn();
        if (c.isClosed()) {
            return;
        }
        if (failed || !open) {
            c.close();
            return;
        }
        if (r.kind() == Request.Kind.CONNECT) {
            handleConnect(c, r.connect());
            return;
        }
        if (c.awaitingSession() != null) {
            // Pipelined behind a ConnectRequest whose session is still being logged.
            c.awaitingSession().add(r);
            return;
        }
        long sid = c.sessionId();
        if (sid == 0) {
            c.close();
            return;
        }
        RequestHeader h = r.header();
        if (!sessions.touch(sid, now())) {
            enqueueLocal(c, r, Code.SESSIONEXPIRED);
            return;
        }
        if (ensemble != null) {
            touched.add(sid);
        }
        if (r.kind() == Request.Kind.MALFORMED && (h.type() == OpCode.AUTH || h.type() == OpCode.SASL)) {
            // ZooKeeper decodes these outside its pipeline, where a bad record drops the connection
            LOG.warn("Undecodable {} request from {}: {}", OpCode.shortName(h.type()), c, r.error());
            c.close();
            return;
        }
        if (r.kind() == Request.Kind.NORMAL) {
            switch (h.type()) {
                // Auth takes effect at once, as in ZooKeeper, so writes prepared after it see the identity.
                case OpCode.AUTH -> {
                    handleAuth(c, h.xid(), (AuthPacket) r.body());
                    return;
                }
                case OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER, OpCode.CREATE_TTL, OpCode.DELETE,
                     OpCode.DELETE_CONTAINER, OpCode.SET_DATA, OpCode.SET_ACL -> {
                    if (ensemble != null) {
                        replicatedWrite(c, r);
                    } else {
                        handleWrite(c, r);
                    }
                    return;
                }
                case OpCode.MULTI -> {
                    if (ensemble != null) {
                        replicatedMulti(c, r, (MultiOperationRecord) r.body());
                    } else {
                        handleMulti(c, r, (MultiOperationRecord) r.body());
                    }
                    return;
                }
                case OpCode.CLOSE_SESSION -> {
                    if (ensemble != null) {
                        replicatedWrite(c, r);
                    } else {
                        handleCloseSession(c, r);
                    }
                    return;
                }
                case OpCode.SYNC -> {
                    if (ensemble != null) {
                        replicatedSync(c, r, ((dev.meerkat.protocol.record.SyncRequest) r.body()).path());
                        return;
                    }
                }
                default -> {
                }
            }
        }
        enqueueLocal(c, r, null);
    }

    /** Answers a request from the tree now, or queues it behind the connection's earlier requests. */
    private void enqueueLocal(ClientConnection c, Request r, Code forcedError) {
        if (c.slots().isEmpty()) {
            executeLocal(c, r, forcedError);
            return;
        }
        Slot slot = Slot.local(r);
        if (forcedError != null) {
            slot.complete(forcedError, null, -1);
            slot.closeAfter = true;
        }
        c.slots().add(slot);
    }

    private void executeLocal(ClientConnection c, Request r, Code forcedError) {
        RequestHeader h = r.header();
        if (forcedError != null) {
            reply(c, r, tree.lastProcessedZxid(), forcedError, null);
            c.close();
            return;
        }
        switch (r.kind()) {
            case UNKNOWN_OP -> {
                LOG.warn("Closing {}: {}", c, r.error());
                reply(c, r, -1, Code.UNIMPLEMENTED, null);
                c.close();
            }
            case MALFORMED -> {
                LOG.warn("Undecodable {} request from {}: {}", OpCode.shortName(h.type()), c, r.error());
                reply(c, r, tree.lastProcessedZxid(), Code.MARSHALLINGERROR, null);
            }
            default -> dispatchLocal(c, r);
        }
    }

    private void dispatchLocal(ClientConnection c, Request r) {
        RequestHeader h = r.header();
        switch (h.type()) {
            case OpCode.PING -> c.send(new ReplyHeader(-2, tree.lastProcessedZxid(), 0), null);
            case OpCode.RECONFIG -> reply(c, r, tree.lastProcessedZxid(), Code.RECONFIGDISABLED, null);
            case OpCode.CHECK -> {
                // check is only meaningful inside a multi; ZooKeeper closes too.
                reply(c, r, -1, Code.UNIMPLEMENTED, null);
                c.close();
            }
            // SASL is not offered. A ZooKeeper without a SASL server answers with a null token and
            // zxid 0 and keeps the connection; the client then gives up on SASL (AuthFailed).
            case OpCode.SASL -> reply(c, r, 0, Code.OK, new SetSASLResponse(null));
            default -> {
                ReadOps.Result res = reads.read(c, h.type(), r.body());
                reply(c, r, tree.lastProcessedZxid(), res.code(), res.body());
            }
        }
    }

    /** Sends every reply at the head of the connection's queue that is ready, in order. */
    private void drain(ClientConnection c) {
        Slot s;
        while ((s = c.slots().peekFirst()) != null) {
            if (c.isClosed()) {
                c.slots().clear();
                return;
            }
            if (s.local && !s.done) {
                c.slots().pollFirst();
                executeLocal(c, s.request, null);
                continue;
            }
            if (!s.done) {
                return;
            }
            c.slots().pollFirst();
            reply(c, s.request, s.zxid >= 0 ? s.zxid : tree.lastProcessedZxid(), s.code, s.body);
            if (s.closeAfter) {
                c.close();
            }
        }
    }

    private void handleConnect(ClientConnection c, ConnectRequest req) {
        c.setOldClient(!req.readOnlyPresent());
        if (req.lastZxidSeen() > tree.lastProcessedZxid()) {
            // Accepting would let the client see time go backwards; it will try another server.
            LOG.info("Refusing {}: client has seen zxid 0x{} but our last is 0x{}", c,
                    Long.toHexString(req.lastZxidSeen()), Long.toHexString(tree.lastProcessedZxid()));
            c.close();
            return;
        }
        int timeout = SessionTracker.negotiateTimeout(req.timeOut(), config.minSessionTimeout(),
                config.maxSessionTimeout());
        long now = now();
        if (req.sessionId() == 0 && ensemble != null) {
            createReplicatedSession(c, timeout, now, req.readOnlyPresent());
            return;
        }
        if (req.sessionId() == 0) {
            Session s = sessions.createSession(timeout, now);
            c.setAwaitingSession(new ArrayList<>());
            // The session exists for clients only once its txn is durable: a crash before then
            // must not leave a client holding a session id the restarted server never heard of.
            log(new TxnHeader(s.id(), 0, nextZxid++, System.currentTimeMillis(), OpCode.CREATE_SESSION),
                    new CreateSessionTxn(timeout, s.password()), res -> {
                        List<Request> waiting = c.awaitingSession();
                        c.setAwaitingSession(null);
                        if (c.isClosed()) {
                            return;
                        }
                        attach(c, s.id(), timeout, s.password(), req.readOnlyPresent());
                        for (Request w : waiting) {
                            handle(w);
                        }
                    });
            return;
        }
        long sid = req.sessionId();
        if (!sessions.checkPassword(sid, req.passwd())) {
            LOG.info("Refusing re-attach of session 0x{} from {}: expired, unknown or wrong password",
                    Long.toHexString(sid), c.remoteAddress());
            c.sendRaw(new ConnectResponse(0, 0, 0L, new byte[16], false, req.readOnlyPresent()));
            c.close();
            return;
        }
        sessions.setTimeout(sid, timeout);
        sessions.touch(sid, now);
        if (ensemble != null) {
            touched.add(sid);
            ensemble.attached(sid);
        }
        ClientConnection previous = bySession.get(sid);
        if (previous != null && previous != c) {
            previous.close();
        }
        attach(c, sid, timeout, sessions.get(sid).password(), req.readOnlyPresent());
    }

    private void attach(ClientConnection c, long sid, int timeout, byte[] passwd, boolean readOnlyPresent) {
        c.setSession(sid, timeout);
        bySession.put(sid, c);
        c.sendRaw(new ConnectResponse(0, timeout, sid, passwd, false, readOnlyPresent));
    }

    /** Auth is answered with the request's xid (the Java client uses -4) and zxid 0, as ZooKeeper does. */
    private void handleAuth(ClientConnection c, int xid, AuthPacket packet) {
        AuthenticationProvider provider = acl.provider(packet.scheme());
        if (provider != null) {
            try {
                for (Id id : provider.authenticate(packet.auth(), c.remoteInetAddress())) {
                    if (!c.authInfo().contains(id)) {
                        c.authInfo().add(id);
                    }
                }
                c.send(new ReplyHeader(xid, 0, 0), null);
                return;
            } catch (AuthFailedException e) {
                LOG.warn("Authentication with scheme {} failed for {}: {}", packet.scheme(), c, e.getMessage());
            }
        } else {
            LOG.warn("Authentication with unknown scheme {} from {}", packet.scheme(), c);
        }
        stats.authFailed();
        c.send(new ReplyHeader(xid, 0, Code.AUTHFAILED.intValue()), null);
        c.close();
    }

    private void handleWrite(ClientConnection c, Request r) {
        int type = r.header().type();
        Slot slot = Slot.write(r);
        c.slots().add(slot);
        Txn txn;
        long zxid = nextZxid;
        pendingChanges.beginTxn(zxid);
        try {
            txn = prepare(pendingChanges, c, type, r.body());
        } catch (PrepException e) {
            slot.complete(e.code(), null, -1);
            drain(c);
            return;
        }
        nextZxid++;
        log(new TxnHeader(c.sessionId(), r.header().xid(), zxid, System.currentTimeMillis(), type), txn, res -> {
            if (res.err() != 0) {
                slot.complete(Code.of(res.err()), null, zxid);
            } else {
                slot.complete(Code.OK, responseOf(type, res), zxid);
            }
            drain(c);
        });
    }

    private void handleMulti(ClientConnection c, Request r, MultiOperationRecord multi) {
        Slot slot = Slot.write(r);
        c.slots().add(slot);
        List<MultiOperationRecord.Op> ops = multi.ops();
        if (answeredWithoutTxn(c, slot, ops)) {
            return;
        }
        long zxid = nextZxid;
        Txn txn = prepareMulti(zxid, c.sessionId(), c.authInfo(), ops);
        if (txn instanceof ErrorTxn whole) {
            // ZooKeeper cannot build the multi at all: the whole request fails, without per-op results.
            slot.complete(Code.of(whole.err()), null, -1);
            drain(c);
            return;
        }
        List<Txn> subs = ((MultiTxn) txn).txns();
        if (subs.stream().anyMatch(t -> t instanceof ErrorTxn)) {
            // A standalone server answers a failed multi without logging it (no zxid is taken).
            List<MultiResponse.Result> results = new ArrayList<>(subs.size());
            for (Txn t : subs) {
                results.add(MultiResponse.Result.error(((ErrorTxn) t).err()));
            }
            slot.complete(Code.OK, new MultiResponse(results), -1);
            drain(c);
            return;
        }
        nextZxid++;
        log(new TxnHeader(c.sessionId(), r.header().xid(), zxid, System.currentTimeMillis(), OpCode.MULTI), txn,
                res -> {
                    slot.complete(Code.OK, multiResponse(ops, res), zxid);
                    drain(c);
                });
    }

    /**
     * Answers a multi that needs no txn: one with a read inside (ZooKeeper cannot build it) or an
     * empty one. True if it did.
     */
    private boolean answeredWithoutTxn(ClientConnection c, Slot slot, List<MultiOperationRecord.Op> ops) {
        for (MultiOperationRecord.Op op : ops) {
            if (op.type() == OpCode.GET_DATA || op.type() == OpCode.GET_CHILDREN) {
                slot.complete(Code.MARSHALLINGERROR, null, -1);
                drain(c);
                return true;
            }
        }
        if (ops.isEmpty()) {
            slot.complete(Code.OK, new MultiResponse(List.of()), -1);
            drain(c);
            return true;
        }
        return false;
    }

    private static MultiResponse multiResponse(List<MultiOperationRecord.Op> ops, ProcessTxnResult res) {
        List<MultiResponse.Result> results = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            ProcessTxnResult one = res.multiResults().get(i);
            int type = ops.get(i).type();
            if (one.err() != 0) {
                results.add(MultiResponse.Result.error(one.err()));
                continue;
            }
            int resultType = switch (type) {
                case OpCode.CREATE2, OpCode.CREATE_CONTAINER, OpCode.CREATE_TTL -> OpCode.CREATE2;
                case OpCode.DELETE_CONTAINER -> OpCode.DELETE;
                default -> type;
            };
            results.add(MultiResponse.Result.ok(resultType, responseOf(type, one)));
        }
        return new MultiResponse(results);
    }

    private void handleCloseSession(ClientConnection c, Request r) {
        Slot slot = Slot.write(r);
        c.slots().add(slot);
        long sid = c.sessionId();
        sessions.setClosing(sid);
        long zxid = nextZxid++;
        log(new TxnHeader(sid, r.header().xid(), zxid, System.currentTimeMillis(), OpCode.CLOSE_SESSION),
                new CloseSessionTxn(), res -> {
                    sessions.remove(sid);
                    if (bySession.get(sid) == c) {
                        bySession.remove(sid);
                    }
                    slot.complete(Code.OK, null, zxid);
                    slot.closeAfter = true;
                    drain(c);
                });
    }

    private Txn prepare(PrepView view, ClientConnection c, int type, Record body) throws PrepException {
        return prepare(view, c.sessionId(), c.authInfo(), type, body);
    }

    private Txn prepare(PrepView view, long sessionId, List<Id> ids, int type, Record body) throws PrepException {
        return switch (type) {
            case OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER -> {
                CreateRequest q = (CreateRequest) body;
                yield prep.create(view, sessionId, ids, q.path(), q.data(), q.acl(), q.flags(), -1);
            }
            case OpCode.CREATE_TTL -> {
                CreateTTLRequest q = (CreateTTLRequest) body;
                yield prep.create(view, sessionId, ids, q.path(), q.data(), q.acl(), q.flags(), q.ttl());
            }
            case OpCode.DELETE -> {
                DeleteRequest q = (DeleteRequest) body;
                yield prep.delete(view, ids, q.path(), q.version());
            }
            case OpCode.DELETE_CONTAINER -> prep.deleteContainer(view, ((DeleteContainerRequest) body).path());
            case OpCode.SET_DATA -> {
                SetDataRequest q = (SetDataRequest) body;
                yield prep.setData(view, ids, q.path(), q.data(), q.version());
            }
            case OpCode.SET_ACL -> {
                SetACLRequest q = (SetACLRequest) body;
                yield prep.setAcl(view, ids, q.path(), q.acl(), q.version());
            }
            case OpCode.CHECK -> {
                CheckVersionRequest q = (CheckVersionRequest) body;
                yield prep.check(view, ids, q.path(), q.version());
            }
            default -> throw new PrepException(Code.BADARGUMENTS);
        };
    }

    private static Record responseOf(int type, ProcessTxnResult res) {
        return switch (type) {
            case OpCode.CREATE -> new CreateResponse(res.path());
            case OpCode.CREATE2, OpCode.CREATE_CONTAINER, OpCode.CREATE_TTL -> new Create2Response(res.path(), res.stat());
            case OpCode.SET_DATA -> new SetDataResponse(res.stat());
            case OpCode.SET_ACL -> new SetACLResponse(res.stat());
            default -> null;
        };
    }

    /**
     * Sends a prepared txn to the log; once it is durable it is applied to the tree (in zxid order,
     * on this thread) and {@code onApplied} answers whoever waits for it. This is the only way a
     * change reaches the tree, and where replication will come in.
     */
    private void log(TxnHeader header, Txn txn, Consumer<ProcessTxnResult> onApplied) {
        sink.append(header, txn, () -> queue.add(() -> {
            ProcessTxnResult res = tree.processTxn(header, txn);
            pendingChanges.applied(header.zxid());
            onApplied.accept(res);
            txnsSinceSnapshot++;
            maybeStartSnapshot();
        }), error -> queue.add(() -> logFailed(error)));
    }

    /** The log cannot make anything durable any more; answering further writes would be a lie. */
    private void logFailed(Throwable error) {
        if (failed) {
            return;
        }
        failed = true;
        LOG.error("The transaction log failed; this server stops serving. Restart it to recover from disk.", error);
        for (ClientConnection c : connections) {
            c.close();
        }
    }

    private void reply(ClientConnection c, Request r, long zxid, Code code, Record body) {
        RequestHeader h = r.header();
        c.send(new ReplyHeader(h.xid(), zxid, code.intValue()), code == Code.OK ? body : null);
        long latency = (System.nanoTime() - r.receivedNanos()) / 1_000_000;
        stats.latency(latency);
        c.recordResponse(h.type(), h.xid(), zxid, latency, System.currentTimeMillis());
    }

    // ------------------------------------------------------------------ sessions and reaping

    private void expireSessions() {
        if (ensemble != null) {
            if (ensemble.leads() && open) {
                expireReplicatedSessions();
            }
            return;
        }
        for (Session s : sessions.expire(now())) {
            LOG.info("Expiring session 0x{}, timeout of {} ms exceeded", Long.toHexString(s.id()), s.timeout());
            long sid = s.id();
            log(new TxnHeader(sid, 0, nextZxid++, System.currentTimeMillis(), OpCode.CLOSE_SESSION),
                    new CloseSessionTxn(), res -> {
                        sessions.remove(sid);
                        ClientConnection c = bySession.remove(sid);
                        if (c != null) {
                            c.close();
                        }
                    });
        }
    }

    private void reapContainers() {
        if (ensemble != null && !(ensemble.leads() && open)) {
            return;
        }
        int limit = (int) Math.max(1, containerMaxPerMinute * containerCheckIntervalMs / 60_000);
        for (String path : tree.reapCandidates(System.currentTimeMillis(), limit)) {
            long zxid = nextZxid;
            pendingChanges.beginTxn(zxid);
            try {
                if (ensemble != null) {
                    pendingChanges.beginTxn(ensemble.nextZxid());
                    Txn txn = prep.deleteContainer(pendingChanges, path);
                    propose(new TxnHeader(0, 0, ensemble.nextZxid(), System.currentTimeMillis(),
                            OpCode.DELETE_CONTAINER), txn);
                    continue;
                }
                Txn txn = prep.deleteContainer(pendingChanges, path);
                nextZxid++;
                log(new TxnHeader(0, 0, zxid, System.currentTimeMillis(), OpCode.DELETE_CONTAINER), txn, res -> {
                });
            } catch (PrepException e) {
                LOG.debug("Container {} not reaped: {}", path, e.code());
            }
        }
    }

    // ------------------------------------------------------------------ the ensemble
    //
    // In an ensemble the leader prepares every txn, its own clients' and those its followers forward,
    // and a failed preparation is a txn too (an ErrorTxn, as in ZooKeeper), so that every write a
    // client sends comes back to the server that holds its connection as exactly one committed txn,
    // matched by session and xid. Every server applies every committed txn in zxid order.

    private void expect(long sessionId, int cxid, Consumer<ProcessTxnResult> then) {
        pendingBySession.computeIfAbsent(sessionId, k -> new ArrayDeque<>()).add(new Pending(cxid, then));
    }

    private void replicatedWrite(ClientConnection c, Request r) {
        Slot slot = Slot.write(r);
        c.slots().add(slot);
        int type = r.header().type();
        expect(c.sessionId(), r.header().xid(), res -> {
            if (type == OpCode.CLOSE_SESSION) {
                slot.complete(Code.OK, null, lastAppliedZxid);
                slot.closeAfter = true;
            } else if (res.err() != 0) {
                slot.complete(Code.of(res.err()), null, lastAppliedZxid);
            } else {
                slot.complete(Code.OK, responseOf(type, res), lastAppliedZxid);
            }
            drain(c);
        });
        submitWrite(c.sessionId(), r.header().xid(), type, r.body(), c.authInfo());
    }

    private void replicatedMulti(ClientConnection c, Request r, MultiOperationRecord multi) {
        Slot slot = Slot.write(r);
        c.slots().add(slot);
        List<MultiOperationRecord.Op> ops = multi.ops();
        if (answeredWithoutTxn(c, slot, ops)) {
            return;
        }
        expect(c.sessionId(), r.header().xid(), res -> {
            if (res.multiResults() == null) {
                slot.complete(Code.of(res.err()), null, lastAppliedZxid);
            } else if (res.err() != 0) {
                List<MultiResponse.Result> results = new ArrayList<>(ops.size());
                for (ProcessTxnResult one : res.multiResults()) {
                    results.add(MultiResponse.Result.error(one.err()));
                }
                slot.complete(Code.OK, new MultiResponse(results), lastAppliedZxid);
            } else {
                slot.complete(Code.OK, multiResponse(ops, res), lastAppliedZxid);
            }
            drain(c);
        });
        submitWrite(c.sessionId(), r.header().xid(), OpCode.MULTI, multi, c.authInfo());
    }

    /** On the leader: prepare and propose. Elsewhere: hand it to the leader. */
    private void submitWrite(long sid, int cxid, int type, Record body, List<Id> ids) {
        if (ensemble.leads()) {
            leaderPrepare(sid, cxid, type, body, ids);
        } else {
            ensemble.forward(sid, cxid, type, body == null ? new byte[0] : Jute.toBytes(body), ids);
        }
    }

    private void leaderPrepare(long sid, int cxid, int type, Record body, List<Id> ids) {
        long zxid = ensemble.nextZxid();
        Txn txn;
        if (type == OpCode.CLOSE_SESSION) {
            sessions.setClosing(sid);
            txn = new CloseSessionTxn();
        } else if (type == OpCode.MULTI) {
            txn = prepareMulti(zxid, sid, ids, ((MultiOperationRecord) body).ops());
        } else {
            pendingChanges.beginTxn(zxid);
            try {
                txn = prepare(pendingChanges, sid, ids, type, body);
            } catch (PrepException e) {
                txn = new ErrorTxn(e.code().intValue());
            }
        }
        propose(new TxnHeader(sid, cxid, zxid, System.currentTimeMillis(), type), txn);
    }

    /**
     * The txn of a multi: a MultiTxn of its ops; if one fails, ZooKeeper's failed multi (a MultiTxn
     * of ErrorTxns: OK for the ops before the failure, its code, RUNTIMEINCONSISTENCY after); or an
     * ErrorTxn of MARSHALLINGERROR when the multi cannot be built at all.
     */
    private Txn prepareMulti(long zxid, long sid, List<Id> ids, List<MultiOperationRecord.Op> ops) {
        pendingChanges.beginTxn(zxid);
        PrepView view = pendingChanges.overlay();
        List<Txn> txns = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            try {
                txns.add(prepare(view, sid, ids, ops.get(i).type(), ops.get(i).request()));
            } catch (PrepException e) {
                if (e.code() == Code.MARSHALLINGERROR) {
                    return new ErrorTxn(Code.MARSHALLINGERROR.intValue());
                }
                List<Txn> failed = new ArrayList<>(ops.size());
                for (int j = 0; j < ops.size(); j++) {
                    failed.add(new ErrorTxn(j < i ? Code.OK.intValue() : j == i ? e.code().intValue()
                            : Code.RUNTIMEINCONSISTENCY.intValue()));
                }
                return new MultiTxn(failed);
            }
        }
        view.mergeInto();
        return new MultiTxn(txns);
    }

    private void propose(TxnHeader header, Txn txn) {
        ensemble.propose(header, txn);
        lastProposedZxid = header.zxid();
    }

    private void createReplicatedSession(ClientConnection c, int timeout, long now, boolean readOnlyPresent) {
        Session s = sessions.createSession(timeout, now);
        long sid = s.id();
        uncommittedSessions.add(sid);
        c.setAwaitingSession(new ArrayList<>());
        expect(sid, 0, res -> {
            List<Request> waiting = c.awaitingSession();
            c.setAwaitingSession(null);
            if (c.isClosed()) {
                return;
            }
            attach(c, sid, timeout, s.password(), readOnlyPresent);
            for (Request w : waiting) {
                handle(w);
            }
        });
        if (ensemble.leads()) {
            propose(new TxnHeader(sid, 0, ensemble.nextZxid(), System.currentTimeMillis(), OpCode.CREATE_SESSION),
                    new CreateSessionTxn(timeout, s.password()));
        } else {
            ensemble.forwardCreateSession(sid, timeout, s.password());
        }
    }

    private void replicatedSync(ClientConnection c, Request r, String path) {
        Slot slot = Slot.write(r);
        c.slots().add(slot);
        ReadOps.Result checked = reads.read(c, OpCode.SYNC, r.body());
        if (checked.code() != Code.OK) {
            slot.complete(checked.code(), null, -1);
            drain(c);
            return;
        }
        WaitingSync w = new WaitingSync(c, slot, path);
        if (ensemble.leads()) {
            w.target = Math.max(lastProposedZxid, tree.lastProcessedZxid());
            waitingSyncs.add(w);
            releaseSyncs();
        } else {
            syncsAtLeader.computeIfAbsent(c.sessionId(), k -> new HashMap<>()).put(r.header().xid(), w);
            ensemble.forwardSync(c.sessionId(), r.header().xid());
        }
    }

    private void releaseSyncs() {
        if (waitingSyncs.isEmpty()) {
            return;
        }
        long applied = tree.lastProcessedZxid();
        waitingSyncs.removeIf(w -> {
            if (w.target > applied) {
                return false;
            }
            w.slot.complete(Code.OK, new SyncResponse(w.path), applied);
            drain(w.cnxn);
            return true;
        });
    }

    private void expireReplicatedSessions() {
        for (Session s : sessions.expire(now())) {
            LOG.info("Expiring session 0x{}, timeout of {} ms exceeded", Long.toHexString(s.id()), s.timeout());
            propose(new TxnHeader(s.id(), 0, ensemble.nextZxid(), System.currentTimeMillis(), OpCode.CLOSE_SESSION),
                    new CloseSessionTxn());
        }
    }

    /**
     * A committed txn, in zxid order (processor thread): applied to the tree, and answered if this
     * server holds the client that sent it. While the tree is still a fuzzy snapshot being replayed,
     * the txn is replayed instead.
     */
    public void applyCommitted(TxnHeader h, Txn t) {
        ProcessTxnResult res = null;
        if (tree.isRecovering()) {
            tree.processTxnForRecovery(h, t);
            if (tree.lastProcessedZxid() >= tree.recoveryHorizon()) {
                tree.finishRecovery();
            }
        } else {
            res = tree.processTxn(h, t);
        }
        lastAppliedZxid = h.zxid();
        pendingChanges.applied(h.zxid());
        long sid = h.sessionId();
        if (t instanceof CreateSessionTxn cs) {
            uncommittedSessions.remove(sid);
            if (sessions.get(sid) == null) {
                sessions.restoreSession(sid, cs.timeOut(), cs.passwd(), now());
            }
        }
        ArrayDeque<Pending> waiting = pendingBySession.get(sid);
        if (res != null && waiting != null && !waiting.isEmpty() && waiting.peekFirst().cxid() == h.cxid()) {
            Pending p = waiting.pollFirst();
            if (waiting.isEmpty()) {
                pendingBySession.remove(sid);
            }
            p.then().accept(res);
        }
        if (t instanceof CloseSessionTxn) {
            sessions.remove(sid);
            pendingBySession.remove(sid);
            ClientConnection c = bySession.remove(sid);
            if (c != null) {
                c.close();
            }
        }
        txnsSinceSnapshot++;
        maybeStartSnapshot();
        releaseSyncs();
    }

    /** Replaces the whole state with a snapshot the leader sent (SNAP); no client is connected then. */
    public void installTree(DataTree newTree, Collection<SnapshotSession> snapshotSessions) {
        if (snapshot != null) {
            snapshot.abort();
            snapshot = null;
        }
        tree = newTree;
        pendingChanges = new PrepView(tree);
        reads = new ReadOps(tree, acl);
        lastAppliedZxid = tree.lastProcessedZxid();
        for (Session s : new ArrayList<>(sessions.sessions())) {
            sessions.remove(s.id());
        }
        for (SnapshotSession s : snapshotSessions) {
            sessions.restoreSession(s.id(), s.timeout(), s.password(), now());
        }
    }

    /**
     * Whether clients are served. Closing drops every client (they reconnect to a server that is
     * synced with a leader) and forgets what waited for txns that may now never commit; opening on a
     * new leader gives every session a fresh timeout, since expiry was decided elsewhere until now.
     */
    public void setOpen(boolean nowOpen) {
        if (nowOpen == open) {
            return;
        }
        open = nowOpen;
        pendingChanges = new PrepView(tree);
        if (!nowOpen) {
            for (ClientConnection c : connections) {
                c.close();
            }
            bySession.clear();
            pendingBySession.clear();
            waitingSyncs.clear();
            syncsAtLeader.clear();
            touched.clear();
            heldForwards.clear();
            for (long sid : uncommittedSessions) {
                sessions.remove(sid);
            }
            uncommittedSessions.clear();
            return;
        }
        lastProposedZxid = tree.lastProcessedZxid();
        if (ensemble.leads()) {
            long now = now();
            List<Long> closing = new ArrayList<>();
            for (Session s : sessions.sessions()) {
                if (s.isClosing()) {
                    closing.add(s.id());
                } else {
                    sessions.touch(s.id(), now);
                }
            }
            // This server decided to close them while it led before, and lost the lead before the
            // close committed: decide it again, or they would never expire.
            for (long sid : closing) {
                propose(new TxnHeader(sid, 0, ensemble.nextZxid(), System.currentTimeMillis(), OpCode.CLOSE_SESSION),
                        new CloseSessionTxn());
            }
        }
        List<Runnable> held = new ArrayList<>(heldForwards);
        heldForwards.clear();
        held.forEach(Runnable::run);
    }

    public boolean isOpen() {
        return open;
    }

    private boolean leaderReady(Runnable retry) {
        if (ensemble.leads() && open) {
            return true;
        }
        if (ensemble.leads()) {
            heldForwards.add(retry);
        }
        return false;
    }

    /** A follower's client write, on the leader. */
    public void onForward(long sid, int cxid, int type, byte[] body, List<Id> ids) {
        if (!leaderReady(() -> onForward(sid, cxid, type, body, ids))) {
            return;
        }
        sessions.touch(sid, now());
        Record record = null;
        if (type != OpCode.CLOSE_SESSION) {
            try {
                record = Requests.readBody(type, new JuteInput(Unpooled.wrappedBuffer(body)));
            } catch (JuteException | RuntimeException e) {
                LOG.warn("Undecodable {} forwarded for session 0x{}: {}", OpCode.shortName(type),
                        Long.toHexString(sid), e.getMessage());
                propose(new TxnHeader(sid, cxid, ensemble.nextZxid(), System.currentTimeMillis(), type),
                        new ErrorTxn(Code.MARSHALLINGERROR.intValue()));
                return;
            }
        }
        leaderPrepare(sid, cxid, type, record, ids);
    }

    /** A session a follower opened, on the leader. */
    public void onCreateSession(long sid, int timeout, byte[] passwd) {
        if (!leaderReady(() -> onCreateSession(sid, timeout, passwd))) {
            return;
        }
        propose(new TxnHeader(sid, 0, ensemble.nextZxid(), System.currentTimeMillis(), OpCode.CREATE_SESSION),
                new CreateSessionTxn(timeout, passwd));
    }

    /** A client re-attached to this session at another server: an older connection here is closed. */
    public void onAttachedElsewhere(long sid) {
        ClientConnection c = bySession.remove(sid);
        if (c != null) {
            LOG.info("Session 0x{} moved to another server; closing its connection here", Long.toHexString(sid));
            c.close();
        }
    }

    /** Sessions alive at a follower, on the leader. */
    public void onTouch(long[] ids) {
        long now = now();
        for (long id : ids) {
            sessions.touch(id, now);
        }
    }

    /** A follower's client asked to sync, on the leader. */
    public void onSyncRequest(int from, long sid, int cxid) {
        if (!leaderReady(() -> onSyncRequest(from, sid, cxid))) {
            return;
        }
        ensemble.replySync(from, sid, cxid, Math.max(lastProposedZxid, tree.lastProcessedZxid()));
    }

    /** The leader's answer to a sync this follower forwarded. */
    public void onSyncReply(long sid, int cxid, long zxid) {
        Map<Integer, WaitingSync> bySid = syncsAtLeader.get(sid);
        WaitingSync w = bySid == null ? null : bySid.remove(cxid);
        if (w == null) {
            return;
        }
        if (bySid.isEmpty()) {
            syncsAtLeader.remove(sid);
        }
        w.target = zxid;
        waitingSyncs.add(w);
        releaseSyncs();
    }

    /** Sends the leader the sessions heard from since the last call (a follower's part of expiry). */
    public void flushTouches() {
        if (touched.isEmpty()) {
            return;
        }
        if (open && !ensemble.leads()) {
            long[] ids = new long[touched.size()];
            int i = 0;
            for (long id : touched) {
                ids[i++] = id;
            }
            ensemble.touch(ids);
        }
        touched.clear();
    }

    /** Session expiry runs on the monotonic clock, so a wall-clock jump cannot expire everyone. */
    private static long now() {
        return System.nanoTime() / 1_000_000;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
