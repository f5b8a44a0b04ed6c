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

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    private final ServerConfig config;
    private final DataTree tree = new DataTree();
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

    public RequestProcessor(ServerConfig config, long serverId) {
        this.config = config;
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
                task = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (task == null) {
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
        }
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
        if (r.kind() == Request.Kind.CONNECT) {
            handleConnect(c, r.connect());
            return;
        }
        long sid = c.sessionId();
        if (sid == 0) {
            c.close();
            return;
        }
        RequestHeader h = r.header();
        if (!sessions.touch(sid, now())) {
            reply(c, r, tree.lastProcessedZxid(), Code.SESSIONEXPIRED, null);
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
                if (h.type() == OpCode.AUTH || h.type() == OpCode.SASL) {
                    // ZooKeeper decodes these outside its pipeline, where a bad record drops the connection
                    c.close();
                    return;
                }
                reply(c, r, tree.lastProcessedZxid(), Code.MARSHALLINGERROR, null);
            }
            default -> dispatch(c, r);
        }
    }

    private void dispatch(ClientConnection c, Request r) {
        RequestHeader h = r.header();
        switch (h.type()) {
            case OpCode.PING -> c.send(new ReplyHeader(-2, tree.lastProcessedZxid(), 0), null);
            case OpCode.AUTH -> handleAuth(c, h.xid(), (AuthPacket) r.body());
            case OpCode.CLOSE_SESSION -> {
                long zxid = closeSession(c.sessionId());
                reply(c, r, zxid, Code.OK, null);
                c.close();
            }
            case OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER, OpCode.CREATE_TTL, OpCode.DELETE,
                 OpCode.DELETE_CONTAINER, OpCode.SET_DATA, OpCode.SET_ACL -> handleWrite(c, r);
            case OpCode.MULTI -> handleMulti(c, r, (MultiOperationRecord) r.body());
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
            apply(s.id(), 0, OpCode.CREATE_SESSION, new CreateSessionTxn(timeout, s.password()));
            attach(c, s.id(), timeout, s.password(), req.readOnlyPresent());
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
        Txn txn;
        try {
            txn = prepare(new PrepView(tree), c, type, r.body());
        } catch (PrepException e) {
            reply(c, r, tree.lastProcessedZxid(), e.code(), null);
            return;
        }
        ProcessTxnResult res = apply(c.sessionId(), r.header().xid(), type, txn);
        if (res.err() != 0) {
            reply(c, r, tree.lastProcessedZxid(), Code.of(res.err()), null);
            return;
        }
        reply(c, r, tree.lastProcessedZxid(), Code.OK, responseOf(type, res));
    }

    private void handleMulti(ClientConnection c, Request r, MultiOperationRecord multi) {
        List<MultiOperationRecord.Op> ops = multi.ops();
        for (MultiOperationRecord.Op op : ops) {
            if (op.type() == OpCode.GET_DATA || op.type() == OpCode.GET_CHILDREN) {
                reply(c, r, tree.lastProcessedZxid(), Code.MARSHALLINGERROR, null);
                return;
            }
        }
        if (ops.isEmpty()) {
            reply(c, r, tree.lastProcessedZxid(), Code.OK, new MultiResponse(List.of()));
            return;
        }
        PrepView view = new PrepView(tree);
        List<Txn> txns = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            try {
                txns.add(prepare(view, c, ops.get(i).type(), ops.get(i).request()));
            } catch (PrepException e) {
                if (e.code() == Code.MARSHALLINGERROR) {
                    // ZooKeeper cannot build the multi at all: the whole request fails, without per-op results.
                    reply(c, r, tree.lastProcessedZxid(), Code.MARSHALLINGERROR, null);
                    return;
                }
                // ZooKeeper reports OK for the ops before the failure and RUNTIMEINCONSISTENCY after.
                List<MultiResponse.Result> results = new ArrayList<>(ops.size());
                for (int j = 0; j < ops.size(); j++) {
                    int code = j < i ? Code.OK.intValue() : j == i ? e.code().intValue()
                            : Code.RUNTIMEINCONSISTENCY.intValue();
                    results.add(MultiResponse.Result.error(code));
                }
                reply(c, r, tree.lastProcessedZxid(), Code.OK, new MultiResponse(results));
                return;
            }
        }
        ProcessTxnResult res = apply(c.sessionId(), r.header().xid(), OpCode.MULTI, new MultiTxn(txns));
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
        reply(c, r, tree.lastProcessedZxid(), Code.OK, new MultiResponse(results));
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

    /** The one place a txn meets the tree: it gets the next zxid and is applied. */
    private ProcessTxnResult apply(long sessionId, int cxid, int type, Txn txn) {
        long zxid = tree.lastProcessedZxid() + 1;
        return tree.processTxn(new TxnHeader(sessionId, cxid, zxid, System.currentTimeMillis(), type), txn);
    }

    private void reply(ClientConnection c, Request r, long zxid, Code code, Record body) {
        RequestHeader h = r.header();
        c.send(new ReplyHeader(h.xid(), zxid, code.intValue()), code == Code.OK ? body : null);
        long latency = (System.nanoTime() - r.receivedNanos()) / 1_000_000;
        stats.latency(latency);
        c.recordResponse(h.type(), h.xid(), zxid, latency, System.currentTimeMillis());
    }

    // ------------------------------------------------------------------ sessions and reaping

    /** Closes a session: its ephemerals go (firing watches) and its connection is dropped. */
    private long closeSession(long sid) {
        apply(sid, 0, OpCode.CLOSE_SESSION, new CloseSessionTxn());
        sessions.remove(sid);
        bySession.remove(sid);
        return tree.lastProcessedZxid();
    }

    private void expireSessions() {
        for (Session s : sessions.expire(now())) {
            LOG.info("Expiring session 0x{}, timeout of {} ms exceeded", Long.toHexString(s.id()), s.timeout());
            ClientConnection c = bySession.get(s.id());
            closeSession(s.id());
            if (c != null) {
                c.close();
            }
        }
    }

    private void reapContainers() {
        int limit = (int) Math.max(1, containerMaxPerMinute * containerCheckIntervalMs / 60_000);
        for (String path : tree.reapCandidates(System.currentTimeMillis(), limit)) {
            try {
                Txn txn = prep.deleteContainer(new PrepView(tree), path);
                apply(0, 0, OpCode.DELETE_CONTAINER, txn);
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
