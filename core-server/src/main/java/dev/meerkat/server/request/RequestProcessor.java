package dev.meerkat.server.request;

import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.jute.Record;
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
import dev.meerkat.server.txn.MultiTxn;
import dev.meerkat.server.txn.ProcessTxnResult;
import dev.meerkat.server.txn.Txn;
import dev.meerkat.server.txn.TxnHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.meerkat.server.storage.SnapshotSession;
import dev.meerkat.server.storage.SnapshotTask;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
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
 * <p>Writes go prepare → txn → apply → reply. {@link #apply} is the one place a txn meets the tree;
 * that is where the transaction log will slot in.
 */
public final class RequestProcessor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RequestProcessor.class);
    private static final int BATCH = 1024;
    private static final int SNAPSHOT_SLICE = 1000;

    private final ServerConfig config;
    private final DataTree tree;
    private final TxnSink sink;
    private final PrepView pendingChanges;
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
    private final ReadOps reads;
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
            }
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
        if (failed) {
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
                    handleWrite(c, r);
                    return;
                }
                case OpCode.MULTI -> {
                    handleMulti(c, r, (MultiOperationRecord) r.body());
                    return;
                }
                case OpCode.CLOSE_SESSION -> {
                    handleCloseSession(c, r);
                    return;
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
        for (MultiOperationRecord.Op op : ops) {
            if (op.type() == OpCode.GET_DATA || op.type() == OpCode.GET_CHILDREN) {
                slot.complete(Code.MARSHALLINGERROR, null, -1);
                drain(c);
                return;
            }
        }
        if (ops.isEmpty()) {
            slot.complete(Code.OK, new MultiResponse(List.of()), -1);
            drain(c);
            return;
        }
        long zxid = nextZxid;
        pendingChanges.beginTxn(zxid);
        PrepView view = pendingChanges.overlay();
        List<Txn> txns = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            try {
                txns.add(prepare(view, c, ops.get(i).type(), ops.get(i).request()));
            } catch (PrepException e) {
                if (e.code() == Code.MARSHALLINGERROR) {
                    // ZooKeeper cannot build the multi at all: the whole request fails, without per-op results.
                    slot.complete(Code.MARSHALLINGERROR, null, -1);
                    drain(c);
                    return;
                }
                // ZooKeeper reports OK for the ops before the failure and RUNTIMEINCONSISTENCY after.
                List<MultiResponse.Result> results = new ArrayList<>(ops.size());
                for (int j = 0; j < ops.size(); j++) {
                    int code = j < i ? Code.OK.intValue() : j == i ? e.code().intValue()
                            : Code.RUNTIMEINCONSISTENCY.intValue();
                    results.add(MultiResponse.Result.error(code));
                }
                slot.complete(Code.OK, new MultiResponse(results), -1);
                drain(c);
                return;
            }
        }
        view.mergeInto();
        nextZxid++;
        log(new TxnHeader(c.sessionId(), r.header().xid(), zxid, System.currentTimeMillis(), OpCode.MULTI),
                new MultiTxn(txns), res -> {
                    slot.complete(Code.OK, multiResponse(ops, res), zxid);
                    drain(c);
                });
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
        List<Id> ids = c.authInfo();
        return switch (type) {
            case OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER -> {
                CreateRequest q = (CreateRequest) body;
                yield prep.create(view, c.sessionId(), ids, q.path(), q.data(), q.acl(), q.flags(), -1);
            }
            case OpCode.CREATE_TTL -> {
                CreateTTLRequest q = (CreateTTLRequest) body;
                yield prep.create(view, c.sessionId(), ids, q.path(), q.data(), q.acl(), q.flags(), q.ttl());
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
        int limit = (int) Math.max(1, containerMaxPerMinute * containerCheckIntervalMs / 60_000);
        for (String path : tree.reapCandidates(System.currentTimeMillis(), limit)) {
            long zxid = nextZxid;
            pendingChanges.beginTxn(zxid);
            try {
                Txn txn = prep.deleteContainer(pendingChanges, path);
                nextZxid++;
                log(new TxnHeader(0, 0, zxid, System.currentTimeMillis(), OpCode.DELETE_CONTAINER), txn, res -> {
                });
            } catch (PrepException e) {
                LOG.debug("Container {} not reaped: {}", path, e.code());
            }
        }
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
