package dev.meerkat.client;

import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.CreateMode;
import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.PathUtils;
import dev.meerkat.protocol.jute.Record;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.protocol.record.AddWatchRequest;
import dev.meerkat.protocol.record.AuthPacket;
import dev.meerkat.protocol.record.CheckWatchesRequest;
import dev.meerkat.protocol.record.ClientInfo;
import dev.meerkat.protocol.record.Create2Response;
import dev.meerkat.protocol.record.CreateRequest;
import dev.meerkat.protocol.record.CreateTTLRequest;
import dev.meerkat.protocol.record.DeleteRequest;
import dev.meerkat.protocol.record.ErrorResponse;
import dev.meerkat.protocol.record.ExistsRequest;
import dev.meerkat.protocol.record.ExistsResponse;
import dev.meerkat.protocol.record.GetACLRequest;
import dev.meerkat.protocol.record.GetACLResponse;
import dev.meerkat.protocol.record.GetAllChildrenNumberRequest;
import dev.meerkat.protocol.record.GetAllChildrenNumberResponse;
import dev.meerkat.protocol.record.GetChildren2Request;
import dev.meerkat.protocol.record.GetChildren2Response;
import dev.meerkat.protocol.record.GetChildrenRequest;
import dev.meerkat.protocol.record.GetChildrenResponse;
import dev.meerkat.protocol.record.GetDataRequest;
import dev.meerkat.protocol.record.GetDataResponse;
import dev.meerkat.protocol.record.GetEphemeralsRequest;
import dev.meerkat.protocol.record.GetEphemeralsResponse;
import dev.meerkat.protocol.record.RemoveWatchesRequest;
import dev.meerkat.protocol.record.SetACLRequest;
import dev.meerkat.protocol.record.SetACLResponse;
import dev.meerkat.protocol.record.SetDataRequest;
import dev.meerkat.protocol.record.SetDataResponse;
import dev.meerkat.protocol.record.Stat;
import dev.meerkat.protocol.record.SyncRequest;
import dev.meerkat.protocol.record.SyncResponse;
import dev.meerkat.protocol.record.WhoAmIResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An asynchronous client speaking ZooKeeper 3.9's client protocol, for Meerkat and Apache ZooKeeper
 * (tested against both; older ZooKeeper servers lack some operations, such as addWatch before 3.6).
 *
 * <pre>{@code
 * try (MeerkatClient client = MeerkatClient.connect("host1:2181,host2:2181/app", ClientOptions.defaults()).get()) {
 *     client.create("/config", bytes, CreateMode.PERSISTENT)
 *           .thenCompose(created -> client.getData("/config", event -> reload()))
 *           .thenAccept(data -> apply(data.data()));
 * }
 * }</pre>
 *
 * <h2>Results and errors</h2>
 * Every operation returns a future that completes with a typed result or fails with a {@link
 * MeerkatException} carrying ZooKeeper's error code and the path. Invalid arguments (a malformed
 * path, a TTL with a non-TTL mode) fail the future with IllegalArgumentException before anything is
 * sent. {@link #sync()} gives the same operations as blocking calls.
 *
 * <h2>Threads and order</h2>
 * Each client has one I/O thread (a Netty event loop) and one event thread. Futures complete, and
 * watchers and {@link ConnectionStateListener}s run, on the event thread, one at a time, in the
 * order the server sent them: a watch event that the server sent before a reply is delivered
 * before that reply's future completes, so a caller never sees new data before the event about it.
 * Code attached to a future with {@code thenApply}/{@code thenAccept} runs there too; keep it short
 * or move it with the {@code ...Async} variants. A slow callback delays other callbacks but never
 * I/O: pings, replies and reconnects go on, and events queue up (without bound) until the callback
 * returns. Waiting on one of this client's futures from the event thread fails at once with
 * IllegalStateException, because it could never complete; blocking calls through {@link #sync()}
 * are safe there.
 *
 * <h2>Pipelining and back-pressure</h2>
 * Requests are pipelined on one connection and answered in order. At most {@link
 * ClientOptions#maxOutstandingRequests()} may be sent or waiting to be sent; a call beyond that
 * blocks its calling thread until a slot frees up, and fails with OperationTimeout after {@link
 * ClientOptions#slotWaitTimeout()}. There is no unbounded request queue.
 *
 * <h2>Connection loss and the session</h2>
 * When a connection drops, requests in flight fail with {@link MeerkatException.ConnectionLoss}
 * (they may or may not have been applied; nothing is sent twice), listeners hear SUSPENDED, and the
 * client reconnects to the next server with the same session, re-sends its credentials and all
 * watches (relative to the last zxid it saw), and then sends the requests made meanwhile; listeners
 * hear RECONNECTED. If the session is gone, listeners hear EXPIRED, waiting requests fail with
 * {@link MeerkatException.SessionExpired}, and the client is dead.
 */
public final class MeerkatClient implements AutoCloseable {
    /** ZooKeeper's upper bound for a TTL (40 bits of milliseconds). */
    static final long MAX_TTL = 0xFF_FFFF_FFFFL;
    private static final AtomicInteger IDS = new AtomicInteger();

    private final ConnectString connectString;
    private final ClientOptions options;
    private final Chroot chroot;
    private final ClientWatchManager watches = new ClientWatchManager();
    private final EventThread events;
    private final SessionManager session;
    private final Semaphore slots;

    private MeerkatClient(ConnectString connectString, ClientOptions options) {
        this.connectString = connectString;
        this.options = options;
        this.chroot = new Chroot(connectString.chroot());
        this.events = new EventThread("meerkat-events-" + IDS.incrementAndGet());
        this.slots = new Semaphore(options.maxOutstandingRequests());
        this.session = new SessionManager(connectString, options, chroot, watches, events);
    }

    /** Connects with {@link ClientOptions#defaults()}. */
    public static CompletableFuture<MeerkatClient> connect(String connectString) {
        return connect(connectString, ClientOptions.defaults());
    }

    /**
     * Starts a client and completes when it has a session. If no server gives one within {@link
     * ClientOptions#connectionTimeout()}, the future fails with ConnectionLoss (SessionExpired when
     * re-attaching to a session that is gone) and the client is closed.
     */
    public static CompletableFuture<MeerkatClient> connect(String connectString, ClientOptions options) {
        ConnectString parsed;
        try {
            parsed = ConnectString.parse(connectString);
            Objects.requireNonNull(options, "options");
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        MeerkatClient client = new MeerkatClient(parsed, options);
        EventFuture<MeerkatClient> result = new EventFuture<>(client.events);
        client.session.firstSession().whenComplete((v, e) -> client.events.execute(() -> {
            if (e == null) {
                result.complete(client);
            } else {
                result.completeExceptionally(e);
            }
        }));
        client.session.start();
        return result;
    }

    // ------------------------------------------------------------------ session

    public ConnectionState state() {
        return session.state();
    }

    public boolean isConnected() {
        ConnectionState s = session.state();
        return s != null && s.isConnected();
    }

    /**
     * The server this client is connected to ({@code host:port}), or empty while it is not
     * connected: for logs, and for tests that stop that very server.
     */
    public java.util.Optional<String> connectedServer() {
        return isConnected() ? java.util.Optional.ofNullable(session.server()) : java.util.Optional.empty();
    }

    /** The session id, 0 before the first session. */
    public long sessionId() {
        return session.sessionId();
    }

    /** The session password, which together with {@link #sessionId()} lets another client re-attach. */
    public byte[] sessionPassword() {
        return session.password();
    }

    /** The session timeout the server granted, in milliseconds; pings and silence are timed by it. */
    public int sessionTimeout() {
        return session.negotiatedTimeout();
    }

    /** The highest zxid this client has seen in a reply. */
    public long lastZxid() {
        return session.lastZxid();
    }

    public ConnectString connectString() {
        return connectString;
    }

    public ClientOptions options() {
        return options;
    }

    /** Listeners run on the event thread; one added after connecting does not hear the first CONNECTED. */
    public void addConnectionStateListener(ConnectionStateListener listener) {
        session.addListener(Objects.requireNonNull(listener, "listener"));
    }

    public void removeConnectionStateListener(ConnectionStateListener listener) {
        session.removeListener(listener);
    }

    /**
     * Closes the session (closeSession, so the server deletes its ephemerals at once) and waits for
     * the server's reply or the connection's end. When disconnected, the session is left to expire
     * on the server. Requests still waiting to be sent fail with SessionExpired.
     */
    @Override
    public void close() {
        session.close();
        long wait = options.sessionTimeout().toMillis() + 1000;
        try {
            session.terminated().get(wait, TimeUnit.MILLISECONDS);
            session.loopTerminated().get(wait, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // close is best effort past this point; the session ends on the server by itself
        }
    }

    /** {@link #close()} without waiting; completes on the event thread after the CLOSED state. */
    public CompletableFuture<Void> closeAsync() {
        EventFuture<Void> f = new EventFuture<>(events);
        session.terminated().whenComplete((v, e) -> events.execute(() -> f.complete(null)));
        session.close();
        return f;
    }

    /** Blocking versions of the operations, each waiting at most the given time. */
    public BlockingMeerkat sync(Duration timeout) {
        return new BlockingMeerkat(this, timeout);
    }

    /**
     * Blocking versions of the operations, for scripts and tools. Each call waits at most twice the
     * session timeout plus the slot wait: by then any request has been answered or has failed.
     */
    public BlockingMeerkat sync() {
        return sync(options.sessionTimeout().multipliedBy(2).plus(options.slotWaitTimeout()));
    }

    /** A transaction (multi): all its operations are applied together or none is. */
    public Transaction transaction() {
        return new Transaction(this);
    }

    /** Several reads in one round trip (multiRead); each succeeds or fails on its own. */
    public ReadTransaction readTransaction() {
        return new ReadTransaction(this);
    }

    // ------------------------------------------------------------------ operations

    /** Creates a node with an open ACL (world:anyone, all permissions). */
    public CompletableFuture<Created> create(String path, byte[] data, CreateMode mode) {
        return async(() -> createPacket(path, data, ACL.OPEN_ACL_UNSAFE, mode, -1));
    }

    public CompletableFuture<Created> create(String path, byte[] data, List<ACL> acl, CreateMode mode) {
        return async(() -> createPacket(path, data, acl, mode, -1));
    }

    /**
     * Creates a node; {@code ttlMillis} is required (1 to 2^40-1) for the TTL modes and must be -1
     * otherwise. A sequential path may end in '/'. Containers use createContainer (19), TTL nodes
     * createTTL (21), everything else create2 (15), so the Stat always comes back.
     */
    public CompletableFuture<Created> create(String path, byte[] data, List<ACL> acl, CreateMode mode, long ttlMillis) {
        return async(() -> createPacket(path, data, acl, mode, ttlMillis));
    }

    /** Deletes a node whatever its version. */
    public CompletableFuture<Void> delete(String path) {
        return delete(path, -1);
    }

    /** Deletes a node if its version matches ({@code -1} matches any). */
    public CompletableFuture<Void> delete(String path, int version) {
        return async(() -> deletePacket(path, version));
    }

    /** The node's Stat, or empty if it does not exist. */
    public CompletableFuture<Optional<Stat>> exists(String path) {
        return exists(path, null);
    }

    /**
     * Like {@link #exists(String)}, leaving a one-shot watch that fires on creation, deletion or a
     * data change, whether or not the node exists now.
     */
    public CompletableFuture<Optional<Stat>> exists(String path, Watcher watcher) {
        return async(() -> existsPacket(path, watcher));
    }

    public CompletableFuture<NodeData> getData(String path) {
        return getData(path, null);
    }

    /** Like {@link #getData(String)}, leaving a one-shot watch if the node exists. */
    public CompletableFuture<NodeData> getData(String path, Watcher watcher) {
        return async(() -> getDataPacket(path, watcher));
    }

    /** Sets the data whatever the version; the new Stat comes back. */
    public CompletableFuture<Stat> setData(String path, byte[] data) {
        return setData(path, data, -1);
    }

    public CompletableFuture<Stat> setData(String path, byte[] data, int version) {
        return async(() -> setDataPacket(path, data, version));
    }

    public CompletableFuture<NodeAcl> getACL(String path) {
        return async(() -> getAclPacket(path));
    }

    /** Sets the ACL if the ACL version (aversion) matches ({@code -1} matches any). */
    public CompletableFuture<Stat> setACL(String path, List<ACL> acl, int aclVersion) {
        return async(() -> setAclPacket(path, acl, aclVersion));
    }

    /** Child names (not paths), in no particular order. */
    public CompletableFuture<List<String>> getChildren(String path) {
        return getChildren(path, null);
    }

    /** Like {@link #getChildren(String)}, leaving a one-shot child watch if the node exists. */
    public CompletableFuture<List<String>> getChildren(String path, Watcher watcher) {
        return async(() -> getChildrenPacket(path, watcher));
    }

    /** Child names and the parent's Stat (getChildren2). */
    public CompletableFuture<Children> getChildrenWithStat(String path) {
        return getChildrenWithStat(path, null);
    }

    public CompletableFuture<Children> getChildrenWithStat(String path, Watcher watcher) {
        return async(() -> getChildren2Packet(path, watcher));
    }

    /** Waits until the server this client talks to has caught up with the leader. */
    public CompletableFuture<Void> sync(String path) {
        return async(() -> syncPacket(path));
    }

    /** Every ephemeral node of this session. */
    public CompletableFuture<List<String>> getEphemerals() {
        return getEphemerals("/");
    }

    /** The ephemeral nodes of this session whose path starts with {@code prefixPath} (as a string). */
    public CompletableFuture<List<String>> getEphemerals(String prefixPath) {
        return async(() -> getEphemeralsPacket(prefixPath));
    }

    /** The number of all descendants of the node. */
    public CompletableFuture<Integer> getAllChildrenNumber(String path) {
        return async(() -> getAllChildrenNumberPacket(path));
    }

    /**
     * Adds a watch that stays until removed: {@link WatchMode#PERSISTENT} hears every event of the
     * path; {@link WatchMode#PERSISTENT_RECURSIVE} hears creations, deletions and data changes of
     * the path and all its descendants. The node need not exist.
     */
    public CompletableFuture<Void> addWatch(String path, Watcher watcher, WatchMode mode) {
        return async(() -> addWatchPacket(path, watcher, mode));
    }

    /**
     * Removes {@code watcher}'s watches of {@code type} on {@code path}; it then gets a
     * DataWatchRemoved, ChildWatchRemoved or PersistentWatchRemoved event. Fails with NoWatcher if
     * it has none. With {@code local} the server is not asked (this works while disconnected); the
     * server-side watch then lingers until it fires or the connection drops, and nobody hears it.
     */
    public CompletableFuture<Void> removeWatches(String path, Watcher watcher, WatchType type, boolean local) {
        return async(() -> removeWatchesPacket(path, Objects.requireNonNull(watcher, "watcher"), type, local));
    }

    /** Removes every watcher's watches of {@code type} on {@code path}, as {@link #removeWatches}. */
    public CompletableFuture<Void> removeAllWatches(String path, WatchType type, boolean local) {
        return async(() -> removeWatchesPacket(path, null, type, local));
    }

    /** The identities this connection holds on the server (ip, digest user, …). */
    public CompletableFuture<List<ClientInfo>> whoAmI() {
        return async(this::whoAmIPacket);
    }

    /**
     * Adds credentials, e.g. {@code ("digest", "user:password")}. They are kept and sent again after
     * every reconnect. If the server refuses them (AuthFailed) it also closes the connection; the
     * client then drops those credentials and reconnects without them.
     */
    public CompletableFuture<Void> addAuthInfo(String scheme, byte[] auth) {
        return async(() -> addAuthPacket(scheme, auth));
    }

    @Override
    public String toString() {
        return "MeerkatClient[" + connectString + ", session 0x" + Long.toHexString(sessionId()) + ", " + state() + "]";
    }

    // ------------------------------------------------------------------ requests, shared with BlockingMeerkat

    @FunctionalInterface
    interface PacketFactory<T> {
        Packet<T> make() throws MeerkatException;
    }

    <T> CompletableFuture<T> async(PacketFactory<T> factory) {
        EventFuture<T> f = new EventFuture<>(events);
        Packet<T> p;
        try {
            p = factory.make();
        } catch (MeerkatException | RuntimeException e) {
            f.completeExceptionally(e);
            return f;
        }
        p.result.whenComplete((v, e) -> events.execute(() -> {
            if (e == null) {
                f.complete(v);
            } else {
                f.completeExceptionally(e);
            }
        }));
        dispatch(p);
        return f;
    }

    /** A future of this client that is already complete. */
    <T> CompletableFuture<T> completed(T value) {
        EventFuture<T> f = new EventFuture<>(events);
        f.complete(value);
        return f;
    }

    /** Takes a request slot (waiting for one if need be) and hands the packet to the I/O loop. */
    <T> void dispatch(Packet<T> p) {
        try {
            if (!slots.tryAcquire(options.slotWaitTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                p.fail(MeerkatException.of(Code.OPERATIONTIMEOUT, p.path, "all " + options.maxOutstandingRequests()
                        + " request slots stayed busy for " + options.slotWaitTimeout().toMillis() + " ms"));
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.fail(e);
            return;
        }
        p.holdSlot(slots);
        session.enqueue(p);
    }

    /** Slots free right now (tests, metrics). */
    int freeSlots() {
        return slots.availablePermits();
    }

    Chroot chroot() {
        return chroot;
    }

    String serverPath(String clientPath) {
        return chroot.toServer(clientPath);
    }

    Packet<Created> createPacket(String path, byte[] data, List<ACL> acl, CreateMode mode, long ttl)
            throws MeerkatException {
        Objects.requireNonNull(mode, "mode");
        PathUtils.validatePath(path, mode.isSequential());
        validateTtl(mode, ttl);
        checkAcl(acl, path);
        String sp = serverPath(path);
        int op;
        Record request;
        if (mode.isTtl()) {
            op = OpCode.CREATE_TTL;
            request = new CreateTTLRequest(sp, data, acl, mode.flag(), ttl);
        } else {
            op = mode.isContainer() ? OpCode.CREATE_CONTAINER : OpCode.CREATE2;
            request = new CreateRequest(sp, data, acl, mode.flag());
        }
        return new Packet<>(op, request, path, (err, in) -> {
            Packet.check(err, path);
            Create2Response r = Create2Response.read(in);
            return new Created(chroot.toClient(r.path()), r.stat());
        });
    }

    static void validateTtl(CreateMode mode, long ttl) {
        if (mode.isTtl()) {
            if (ttl <= 0 || ttl > MAX_TTL) {
                throw new IllegalArgumentException("a TTL must be 1.." + MAX_TTL + " ms, not " + ttl);
            }
        } else if (ttl != -1) {
            throw new IllegalArgumentException("a TTL (" + ttl + ") needs a TTL mode, not " + mode);
        }
    }

    /** ZooKeeper's client refuses an empty ACL itself; the server would say the same. */
    private static void checkAcl(List<ACL> acl, String path) throws MeerkatException {
        boolean bad = acl == null || acl.isEmpty();
        if (!bad) {
            for (ACL a : acl) {
                bad |= a == null || a.id() == null;
            }
        }
        if (bad) {
            throw MeerkatException.of(Code.INVALIDACL, path, "the ACL must list at least one entry, and no nulls");
        }
    }

    Packet<Void> deletePacket(String path, int version) throws MeerkatException {
        PathUtils.validatePath(path);
        if (path.equals("/")) {
            // as ZooKeeper's client: under a chroot "/" is the chroot node, and the root is never deletable
            throw MeerkatException.of(Code.BADARGUMENTS, path, "the root cannot be deleted");
        }
        return new Packet<>(OpCode.DELETE, new DeleteRequest(serverPath(path), version), path, (err, in) -> {
            Packet.check(err, path);
            return null;
        });
    }

    Packet<Optional<Stat>> existsPacket(String path, Watcher watcher) {
        PathUtils.validatePath(path);
        return new Packet<>(OpCode.EXISTS, new ExistsRequest(serverPath(path), watcher != null), path, (err, in) -> {
            if (err == 0) {
                Stat stat = ExistsResponse.read(in).stat();
                if (watcher != null) {
                    watches.add(ClientWatchManager.Kind.DATA, path, watcher);
                }
                return Optional.of(stat);
            }
            if (err == Code.NONODE.intValue()) {
                // the server keeps the watch for a missing node too; it fires on creation
                if (watcher != null) {
                    watches.add(ClientWatchManager.Kind.EXIST, path, watcher);
                }
                return Optional.empty();
            }
            throw Packet.error(err, path);
        });
    }

    Packet<NodeData> getDataPacket(String path, Watcher watcher) {
        PathUtils.validatePath(path);
        return new Packet<>(OpCode.GET_DATA, new GetDataRequest(serverPath(path), watcher != null), path, (err, in) -> {
            Packet.check(err, path);
            GetDataResponse r = GetDataResponse.read(in);
            if (watcher != null) {
                watches.add(ClientWatchManager.Kind.DATA, path, watcher);
            }
            return new NodeData(r.data(), r.stat());
        });
    }

    Packet<Stat> setDataPacket(String path, byte[] data, int version) {
        PathUtils.validatePath(path);
        return new Packet<>(OpCode.SET_DATA, new SetDataRequest(serverPath(path), data, version), path, (err, in) -> {
            Packet.check(err, path);
            return SetDataResponse.read(in).stat();
        });
    }

    Packet<NodeAcl> getAclPacket(String path) {
        PathUtils.validatePath(path);
        return new Packet<>(OpCode.GET_ACL, new GetACLRequest(serverPath(path)), path, (err, in) -> {
            Packet.check(err, path);
            GetACLResponse r = GetACLResponse.read(in);
            return new NodeAcl(r.acl() == null ? List.of() : List.copyOf(r.acl()), r.stat());
        });
    }

    Packet<Stat> setAclPacket(String path, List<ACL> acl, int version) throws MeerkatException {
        PathUtils.validatePath(path);
        checkAcl(acl, path);
        return new Packet<>(OpCode.SET_ACL, new SetACLRequest(serverPath(path), acl, version), path, (err, in) -> {
            Packet.check(err, path);
            return SetACLResponse.read(in).stat();
        });
    }

    Packet<List<String>> getChildrenPacket(String path, Watcher watcher) {
        PathUtils.validatePath(path);
        return new Packet<>(OpCode.GET_CHILDREN, new GetChildrenRequest(serverPath(path), watcher != null), path,
                (err, in) -> {
                    Packet.check(err, path);
                    List<String> names = GetChildrenResponse.read(in).children();
                    if (watcher != null) {
                        watches.add(ClientWatchManager.Kind.CHILD, path, watcher);
                    }
                    return names == null ? List.of() : List.copyOf(names);
                });
    }

    Packet<Children> getChildren2Packet(String path, Watcher watcher) {
        PathUtils.validatePath(path);
        return new Packet<>(OpCode.GET_CHILDREN2, new GetChildren2Request(serverPath(path), watcher != null), path,
                (err, in) -> {
                    Packet.check(err, path);
                    GetChildren2Response r = GetChildren2Response.read(in);
                    if (watcher != null) {
                        watches.add(ClientWatchManager.Kind.CHILD, path, watcher);
                    }
                    return new Children(r.children() == null ? List.of() : List.copyOf(r.children()), r.stat());
                });
    }

    Packet<Void> syncPacket(String path) {
        PathUtils.validatePath(path);
        return new Packet<>(OpCode.SYNC, new SyncRequest(serverPath(path)), path, (err, in) -> {
            Packet.check(err, path);
            SyncResponse.read(in);
            return null;
        });
    }

    Packet<List<String>> getEphemeralsPacket(String prefixPath) {
        PathUtils.validatePath(prefixPath);
        return new Packet<>(OpCode.GET_EPHEMERALS, new GetEphemeralsRequest(serverPath(prefixPath)), prefixPath,
                (err, in) -> {
                    Packet.check(err, prefixPath);
                    List<String> all = GetEphemeralsResponse.read(in).ephemerals();
                    List<String> out = new ArrayList<>();
                    if (all != null) {
                        for (String p : all) {
                            // the server matches by string prefix, so "/app" also matches "/apple";
                            // only nodes inside the chroot belong to this client's view
                            if (chroot.contains(p)) {
                                out.add(chroot.toClient(p));
                            }
                        }
                    }
                    return List.copyOf(out);
                });
    }

    Packet<Integer> getAllChildrenNumberPacket(String path) {
        PathUtils.validatePath(path);
        return new Packet<>(OpCode.GET_ALL_CHILDREN_NUMBER, new GetAllChildrenNumberRequest(serverPath(path)), path,
                (err, in) -> {
                    Packet.check(err, path);
                    return GetAllChildrenNumberResponse.read(in).totalNumber();
                });
    }

    Packet<Void> addWatchPacket(String path, Watcher watcher, WatchMode mode) {
        PathUtils.validatePath(path);
        Objects.requireNonNull(watcher, "watcher");
        Objects.requireNonNull(mode, "mode");
        return new Packet<>(OpCode.ADD_WATCH, new AddWatchRequest(serverPath(path), mode.wireValue()), path,
                (err, in) -> {
                    Packet.check(err, path);
                    if (in.hasRemaining()) {
                        ErrorResponse.read(in);
                    }
                    watches.add(mode == WatchMode.PERSISTENT ? ClientWatchManager.Kind.PERSISTENT
                            : ClientWatchManager.Kind.RECURSIVE, path, watcher);
                    return null;
                });
    }

    Packet<Void> removeWatchesPacket(String path, Watcher watcher, WatchType type, boolean local) {
        PathUtils.validatePath(path);
        Objects.requireNonNull(type, "type");
        String sp = serverPath(path);
        Packet<Void> p = new Packet<>(OpCode.REMOVE_WATCHES, null, path, (err, in) -> {
            Packet.check(err, path);
            deliverRemovals(watches.remove(path, watcher, type), path);
            return null;
        });
        p.preparer = packet -> {
            if (!watches.contains(path, watcher, type)) {
                packet.fail(MeerkatException.of(Code.NOWATCHER, path));
                return false;
            }
            if (local) {
                deliverRemovals(watches.remove(path, watcher, type), path);
                p.complete(null);
                return false;
            }
            // checkWatches leaves the server's watch for the other local watchers; when this one is
            // the last, removeWatches stops the server from sending events nobody would hear
            boolean othersStay = watcher != null && watches.othersRemain(path, watcher, type);
            packet.opCode = othersStay ? OpCode.CHECK_WATCHES : OpCode.REMOVE_WATCHES;
            packet.request = othersStay ? new CheckWatchesRequest(sp, type.wireValue())
                    : new RemoveWatchesRequest(sp, type.wireValue());
            return true;
        };
        return p;
    }

    private void deliverRemovals(List<ClientWatchManager.Removal> removals, String path) {
        for (ClientWatchManager.Removal r : removals) {
            WatchedEvent event = new WatchedEvent(r.type(), path, -1);
            events.execute(() -> SessionManager.deliver(List.of(r.watcher()), event));
        }
    }

    Packet<List<ClientInfo>> whoAmIPacket() {
        return new Packet<>(OpCode.WHO_AM_I, null, null, (err, in) -> {
            Packet.check(err, null);
            List<ClientInfo> info = WhoAmIResponse.read(in).clientInfo();
            return info == null ? List.of() : List.copyOf(info);
        });
    }

    Packet<Void> addAuthPacket(String scheme, byte[] auth) {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(auth, "auth");
        byte[] copy = auth.clone();
        Packet<Void> p = new Packet<>(OpCode.AUTH, new AuthPacket(0, scheme, copy), null, (err, in) -> null);
        p.credential = new SessionManager.Credential(scheme, copy);
        return p;
    }
}
