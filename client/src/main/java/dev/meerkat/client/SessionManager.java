package dev.meerkat.client;

import dev.meerkat.client.ConnectString.HostAndPort;
import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.FrameCodec;
import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.Record;
import dev.meerkat.protocol.record.AuthPacket;
import dev.meerkat.protocol.record.ConnectRequest;
import dev.meerkat.protocol.record.ConnectResponse;
import dev.meerkat.protocol.record.ReplyHeader;
import dev.meerkat.protocol.record.RequestHeader;
import dev.meerkat.protocol.record.SetWatches;
import dev.meerkat.protocol.record.SetWatches2;
import dev.meerkat.protocol.record.WatcherEvent;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The session and its connections: handshake, pings, dead-server detection, reconnection with the
 * same session, re-sending credentials and watches, expiry and close.
 *
 * <p>Everything here runs on one Netty event loop, which owns all of the mutable state below; other
 * threads only hand work over with {@link EventLoop#execute}. No user code runs on that loop: results
 * and events are handed to the {@link EventThread}.
 *
 * <p>The request rule is that none is ever sent twice. A request is "sent" from the moment it is
 * written to a channel; if that connection drops before the reply, the request fails with
 * ConnectionLoss (it may or may not have been applied). A request made while no connection is up
 * waits in {@link #waiting} and goes out after the next handshake, or fails when the session ends.
 */
final class SessionManager {
    private static final Logger LOG = LoggerFactory.getLogger(SessionManager.class);
    private static final AtomicInteger CLIENT_IDS = new AtomicInteger();

    static final int NOTIFICATION_XID = -1;
    static final int PING_XID = -2;
    static final int AUTH_XID = -4;
    /** ZooKeeper splits SetWatches when the paths add up to more than this many characters. */
    static final int SET_WATCHES_MAX_LENGTH = 128 * 1024;
    /** ZooKeeper pings at least this often however long the session, so idle NATs keep the flow. */
    private static final long MAX_PING_INTERVAL_MS = 10_000;
    private static final int PASSWORD_LENGTH = 16;

    /** Host names are resolved off the event loop, which must never block. */
    private static final ExecutorService RESOLVER = Executors.newCachedThreadPool(
            new DefaultThreadFactory("meerkat-resolver", true));

    private enum Phase {
        /** No connection; an attempt is scheduled. */
        DISCONNECTED,
        /** TCP connection in progress. */
        CONNECTING,
        /** ConnectRequest sent, waiting for the ConnectResponse. */
        HANDSHAKING,
        CONNECTED,
        /** closeSession sent, waiting for its reply or the socket to close. */
        CLOSING,
        /** Closed or expired, for good. */
        TERMINATED
    }

    /** Credentials given to addAuthInfo, sent again after every reconnect. */
    static final class Credential {
        final String scheme;
        final byte[] auth;
        /** The addAuthInfo call still waiting for this credential's first reply, if any. */
        Packet<?> waiting;

        Credential(String scheme, byte[] auth) {
            this.scheme = scheme;
            this.auth = auth;
        }
    }

    private record AuthInFlight(Credential credential, Packet<?> packet) {
    }

    /** One TCP connection attempt and, if it succeeds, the connection. */
    private static final class Connection {
        final HostAndPort server;
        Channel channel;
        /** Set when we gave up on it: anything it still delivers is ignored. */
        boolean dropped;

        Connection(HostAndPort server) {
            this.server = server;
        }
    }

    private final ClientOptions options;
    private final List<HostAndPort> hosts;
    private final Chroot chroot;
    private final ClientWatchManager watches;
    private final EventThread events;
    private final EventLoopGroup ownedGroup;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final List<ConnectionStateListener> listeners = new CopyOnWriteArrayList<>();
    private final int requestedTimeout;

    // ---- owned by the event loop ----
    private Phase phase = Phase.DISCONNECTED;
    private Connection conn;
    private int nextHost;
    private int nextXid = 1;
    private boolean hadSession;
    private final ArrayDeque<Packet<?>> waiting = new ArrayDeque<>();
    private final ArrayDeque<Packet<?>> sent = new ArrayDeque<>();
    private final ArrayDeque<AuthInFlight> authSent = new ArrayDeque<>();
    private final List<Credential> credentials = new ArrayList<>();
    private long createdAt;
    private long lastHeard;
    private long lastSent;
    private long attemptStartedAt;
    private long closeStartedAt;
    private int tickMillis;
    private ScheduledFuture<?> ticker;
    private ScheduledFuture<?> nextAttempt;
    private boolean flushScheduled;

    // ---- read from any thread ----
    private volatile long sessionId;
    private volatile byte[] password;
    private volatile int negotiatedTimeout;
    /** Written on the loop only. */
    private volatile long lastZxid;
    private volatile ConnectionState state;
    /** The server of the last successful handshake, as {@code host:port}. */
    private volatile String server;
    /** Completes on the loop when the first session is up; no user code is ever attached. */
    private final CompletableFuture<Void> firstSession = new CompletableFuture<>();
    /** Completes on the loop when the client is closed or expired; no user code is ever attached. */
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    SessionManager(ConnectString connectString, ClientOptions options, Chroot chroot, ClientWatchManager watches,
                   EventThread events) {
        this.options = options;
        List<HostAndPort> shuffled = new ArrayList<>(connectString.hosts());
        // shuffled once, then walked round-robin, so that clients spread over the ensemble
        Collections.shuffle(shuffled);
        this.hosts = List.copyOf(shuffled);
        this.chroot = chroot;
        this.watches = watches;
        this.events = events;
        this.requestedTimeout = (int) options.sessionTimeout().toMillis();
        this.listeners.addAll(options.listeners());
        this.sessionId = options.sessionId();
        byte[] given = options.sessionPassword();
        this.password = given == null ? new byte[PASSWORD_LENGTH] : given;
        int id = CLIENT_IDS.incrementAndGet();
        if (options.eventLoopGroup() == null) {
            ownedGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("meerkat-io-" + id, true),
                    NioIoHandler.newFactory());
            loop = ownedGroup.next();
        } else {
            ownedGroup = null;
            loop = options.eventLoopGroup().next();
        }
        bootstrap = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true);
    }

    // ------------------------------------------------------------------ used by MeerkatClient

    void start() {
        loop.execute(() -> {
            createdAt = now();
            lastHeard = createdAt;
            scheduleTicker(requestedTimeout);
            attempt();
        });
    }

    CompletableFuture<Void> firstSession() {
        return firstSession;
    }

    CompletableFuture<Void> terminated() {
        return terminated;
    }

    long sessionId() {
        return sessionId;
    }

    byte[] password() {
        return password.clone();
    }

    int negotiatedTimeout() {
        return negotiatedTimeout;
    }

    /** The server of the last successful handshake ({@code host:port}), or null before the first. */
    String server() {
        return server;
    }

    ConnectionState state() {
        return state;
    }

    void addListener(ConnectionStateListener listener) {
        listeners.add(listener);
    }

    void removeListener(ConnectionStateListener listener) {
        listeners.remove(listener);
    }

    /** Hands a request to the loop; it is sent now, or after the next handshake. */
    void enqueue(Packet<?> packet) {
        runOnLoop(() -> accept(packet), packet);
    }

    /** The event loop, so the client can wait for it to stop when it owns it. */
    CompletableFuture<Void> loopTerminated() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (ownedGroup == null) {
            f.complete(null);
        } else {
            ownedGroup.terminationFuture().addListener(x -> f.complete(null));
        }
        return f;
    }

    /** Ends the session: closeSession if connected, then the connection; completes {@link #terminated()}. */
    void close() {
        try {
            loop.execute(this::beginClose);
        } catch (RejectedExecutionException e) {
            // the loop is gone, so the client already ended
            terminated.complete(null);
        }
    }

    /** The highest zxid seen in a reply; what a reconnect reports and SetWatches is relative to. */
    long lastZxid() {
        return lastZxid;
    }

    private void runOnLoop(Runnable task, Packet<?> packet) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            if (packet != null) {
                packet.fail(terminalError(packet.path));
            }
        }
    }

    // ------------------------------------------------------------------ requests

    private void accept(Packet<?> p) {
        if (phase == Phase.TERMINATED || phase == Phase.CLOSING) {
            p.fail(terminalError(p.path));
            return;
        }
        if (p.credential != null) {
            acceptAuth(p);
            return;
        }
        if (p.preparer != null && !p.preparer.prepare(p)) {
            return;
        }
        if (phase == Phase.CONNECTED) {
            write(p);
            scheduleFlush();
        } else {
            waiting.add(p);
        }
    }

    private void acceptAuth(Packet<?> p) {
        Credential c = p.credential;
        credentials.add(c);
        if (phase == Phase.CONNECTED) {
            writeAuth(c, p);
            scheduleFlush();
        } else {
            // it goes out with the others right after the next handshake
            c.waiting = p;
        }
    }

    private void write(Packet<?> p) {
        p.xid = nextXid();
        sent.add(p);
        Record header = new RequestHeader(p.xid, p.opCode);
        send(p.request == null ? FrameCodec.encode(conn.channel.alloc(), header)
                : FrameCodec.encode(conn.channel.alloc(), header, p.request));
    }

    private void writeAuth(Credential c, Packet<?> p) {
        authSent.add(new AuthInFlight(c, p));
        send(FrameCodec.encode(conn.channel.alloc(), new RequestHeader(AUTH_XID, OpCode.AUTH),
                new AuthPacket(0, c.scheme, c.auth)));
    }

    private void send(ByteBuf frame) {
        // a failed write fires exceptionCaught, which drops the connection
        conn.channel.write(frame, conn.channel.voidPromise());
        lastSent = now();
    }

    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            // requests handed over together go out in one flush
            loop.execute(() -> {
                flushScheduled = false;
                if (conn != null && conn.channel != null) {
                    conn.channel.flush();
                }
            });
        }
    }

    private int nextXid() {
        int xid = nextXid;
        // xids count up for the whole session and wrap to 1, never to 0 or the special negatives
        nextXid = xid == Integer.MAX_VALUE ? 1 : xid + 1;
        return xid;
    }

    // ------------------------------------------------------------------ connecting

    private void attempt() {
        nextAttempt = null;
        if (phase != Phase.DISCONNECTED) {
            return;
        }
        HostAndPort server = hosts.get(nextHost);
        nextHost = (nextHost + 1) % hosts.size();
        Connection c = new Connection(server);
        conn = c;
        phase = Phase.CONNECTING;
        attemptStartedAt = now();
        if (NetUtil.isValidIpV4Address(server.host()) || NetUtil.isValidIpV6Address(server.host())) {
            connect(c, new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(server.host()),
                    server.port()));
            return;
        }
        RESOLVER.execute(() -> {
            InetSocketAddress address;
            try {
                InetAddress[] all = InetAddress.getAllByName(server.host());
                // a name with several addresses: pick one at random, as ZooKeeper's StaticHostProvider does
                address = new InetSocketAddress(all[ThreadLocalRandom.current().nextInt(all.length)], server.port());
            } catch (UnknownHostException e) {
                runOnLoop(() -> attemptFailed(c, "cannot resolve " + server.host()), null);
                return;
            }
            runOnLoop(() -> connect(c, address), null);
        });
    }

    private void connect(Connection c, InetSocketAddress address) {
        if (c != conn || phase != Phase.CONNECTING) {
            return;
        }
        ChannelFuture f = bootstrap.clone()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new FrameDecoder(options.maxFrameBytes()), new Handler(c));
                    }
                })
                .connect(address);
        c.channel = f.channel();
        f.addListener(done -> {
            if (!done.isSuccess()) {
                attemptFailed(c, "cannot connect to " + c.server + ": " + done.cause());
            }
        });
    }

    /** ZooKeeper's per-attempt budget: the session timeout shared among the servers. */
    private int connectTimeoutMillis() {
        int timeout = hadSession ? negotiatedTimeout : requestedTimeout;
        return Math.max(1, timeout / hosts.size());
    }

    private void onActive(Connection c) {
        if (c != conn || c.dropped || phase != Phase.CONNECTING) {
            c.channel.close();
            return;
        }
        phase = Phase.HANDSHAKING;
        ConnectRequest request = new ConnectRequest(0, lastZxid, requestedTimeout, sessionId, password,
                false, true);
        c.channel.writeAndFlush(FrameCodec.encode(c.channel.alloc(), request), c.channel.voidPromise());
        lastSent = now();
    }

    private void attemptFailed(Connection c, String reason) {
        if (c != conn) {
            return;
        }
        LOG.debug("Connection attempt to {} failed: {}", c.server, reason);
        c.dropped = true;
        if (c.channel != null) {
            c.channel.close();
        }
        conn = null;
        if (phase == Phase.CONNECTING || phase == Phase.HANDSHAKING) {
            phase = Phase.DISCONNECTED;
            scheduleAttempt();
        }
    }

    private void scheduleAttempt() {
        long maxDelay = options.reconnectDelayMax().toMillis();
        long delay = maxDelay == 0 ? 0 : ThreadLocalRandom.current().nextLong(maxDelay + 1);
        nextAttempt = loop.schedule(this::attempt, delay, TimeUnit.MILLISECONDS);
    }

    private void onConnectResponse(Connection c, ConnectResponse r) {
        if (r.timeOut() <= 0) {
            expire("the server " + c.server + " says session 0x" + Long.toHexString(sessionId) + " has expired");
            return;
        }
        if (sessionId != 0 && r.sessionId() != sessionId) {
            // Adopting another id would lose our ephemerals without telling anyone (§2.2), so it
            // counts as the end of the session.
            expire("the server " + c.server + " answered with session 0x" + Long.toHexString(r.sessionId())
                    + " instead of 0x" + Long.toHexString(sessionId));
            return;
        }
        boolean first = !hadSession;
        sessionId = r.sessionId();
        password = r.passwd() == null ? new byte[PASSWORD_LENGTH] : r.passwd();
        int oldTimeout = negotiatedTimeout;
        negotiatedTimeout = r.timeOut();
        hadSession = true;
        phase = Phase.CONNECTED;
        long now = now();
        lastHeard = now;
        lastSent = now;
        if (oldTimeout != r.timeOut()) {
            scheduleTicker(r.timeOut());
        }
        server = c.server.host() + ":" + c.server.port();
        LOG.info("Session 0x{} {} on {} (timeout {} ms)", Long.toHexString(sessionId),
                first ? "established" : "re-attached", c.server, r.timeOut());
        // the order ZooKeeper's client keeps: credentials, then watches, then what waited (§7.5)
        for (Credential cred : credentials) {
            Packet<?> p = cred.waiting;
            cred.waiting = null;
            writeAuth(cred, p);
        }
        resendWatches();
        while (!waiting.isEmpty()) {
            write(waiting.poll());
        }
        c.channel.flush();
        setState(first ? ConnectionState.CONNECTED : ConnectionState.RECONNECTED);
        if (first) {
            firstSession.complete(null);
        }
    }

    /** Re-registers every watch, relative to the last zxid seen, in batches of at most 128 KB of paths. */
    private void resendWatches() {
        ClientWatchManager.Registered r = watches.registered();
        if (r.isEmpty()) {
            return;
        }
        // SetWatches (101) where it is enough, so that servers older than 3.6 also understand us
        boolean needsV2 = !r.persistent().isEmpty() || !r.recursive().isEmpty();
        List<List<String>> lists = List.of(r.data(), r.exist(), r.child(), r.persistent(), r.recursive());
        List<List<String>> batch = emptyBatch();
        int length = 0;
        for (int table = 0; table < lists.size(); table++) {
            for (String clientPath : lists.get(table)) {
                String serverPath = chroot.toServer(clientPath);
                if (length > 0 && length + serverPath.length() > SET_WATCHES_MAX_LENGTH) {
                    writeSetWatches(batch, needsV2);
                    batch = emptyBatch();
                    length = 0;
                }
                batch.get(table).add(serverPath);
                length += serverPath.length();
            }
        }
        writeSetWatches(batch, needsV2);
    }

    private static List<List<String>> emptyBatch() {
        List<List<String>> b = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            b.add(new ArrayList<>());
        }
        return b;
    }

    private void writeSetWatches(List<List<String>> b, boolean v2) {
        Record record = v2
                ? new SetWatches2(lastZxid, b.get(0), b.get(1), b.get(2), b.get(3), b.get(4))
                : new SetWatches(lastZxid, b.get(0), b.get(1), b.get(2));
        Packet<Void> p = new Packet<>(v2 ? OpCode.SET_WATCHES2 : OpCode.SET_WATCHES, record, null, (err, in) -> {
            if (err != 0) {
                LOG.warn("The server refused to re-register watches (error {}); they will not fire", err);
            }
            return null;
        });
        write(p);
    }

    // ------------------------------------------------------------------ reading

    private void onFrame(Connection c, ByteBuf frame) {
        if (c != conn || c.dropped) {
            return;
        }
        lastHeard = now();
        JuteInput in = new JuteInput(frame);
        try {
            if (phase == Phase.HANDSHAKING) {
                onConnectResponse(c, ConnectResponse.read(in));
                return;
            }
            ReplyHeader h = ReplyHeader.read(in);
            switch (h.xid()) {
                case PING_XID -> { }
                case AUTH_XID -> onAuthReply(h.err());
                case NOTIFICATION_XID -> onNotification(WatcherEvent.read(in), h.zxid());
                default -> onReply(c, h, in);
            }
        } catch (JuteException | RuntimeException e) {
            drop(c, "undecodable frame from " + c.server + ": " + e);
        }
    }

    private void onReply(Connection c, ReplyHeader h, JuteInput in) throws JuteException {
        Packet<?> p = sent.poll();
        if (p == null || p.xid != h.xid()) {
            // Replies come in request order; anything else means we no longer know which request a
            // reply belongs to, so the only safe move is ZooKeeper's: drop the connection.
            String expected = p == null ? "no request" : "xid " + p.xid;
            if (p != null) {
                p.fail(MeerkatException.of(Code.CONNECTIONLOSS, p.path, "reply out of order"));
            }
            drop(c, "Xid out of order. Got xid " + h.xid() + " but expected " + expected);
            return;
        }
        if (h.zxid() > lastZxid) {
            lastZxid = h.zxid();
        }
        try {
            p.completeFrom(h.err(), in);
        } catch (JuteException | RuntimeException e) {
            p.fail(MeerkatException.of(Code.CONNECTIONLOSS, p.path, "undecodable reply: " + e));
            drop(c, "undecodable reply to xid " + h.xid() + " from " + c.server + ": " + e);
            return;
        }
        if (p.opCode == OpCode.CLOSE_SESSION) {
            finishClose("session closed");
        }
    }

    private void onAuthReply(int err) {
        AuthInFlight a = authSent.poll();
        if (a == null) {
            LOG.warn("An auth reply with no auth request outstanding; ignored");
            return;
        }
        if (err == 0) {
            if (a.packet() != null) {
                complete(a.packet());
            }
            return;
        }
        // The server closes the connection after a failed auth. Keeping the credentials would
        // make every reconnect fail the same way, so they go.
        credentials.remove(a.credential());
        LOG.warn("The server refused credentials of scheme {} (error {}); they are dropped", a.credential().scheme, err);
        if (a.packet() != null) {
            a.packet().fail(Packet.error(err, null));
        }
    }

    @SuppressWarnings("unchecked")
    private static void complete(Packet<?> p) {
        ((Packet<Object>) p).complete(null);
    }

    private void onNotification(WatcherEvent e, long zxid) {
        WatchedEvent.Type type = WatchedEvent.Type.of(e.type());
        if (type == null || type.intValue() > WatchedEvent.Type.NODE_CHILDREN_CHANGED.intValue() || e.path() == null) {
            LOG.warn("Ignoring a notification the server should not send: type {} path {}", e.type(), e.path());
            return;
        }
        String path = chroot.toClient(e.path());
        List<Watcher> targets = new ArrayList<>(watches.materialize(type, path));
        if (targets.isEmpty()) {
            return;
        }
        WatchedEvent event = new WatchedEvent(type, path, zxid);
        events.execute(() -> deliver(targets, event));
    }

    static void deliver(List<Watcher> targets, WatchedEvent event) {
        for (Watcher w : targets) {
            try {
                w.process(event);
            } catch (RuntimeException ex) {
                LOG.error("Watcher {} threw on {}", w, event, ex);
            }
        }
    }

    // ------------------------------------------------------------------ time

    private void scheduleTicker(int sessionTimeout) {
        if (ticker != null) {
            ticker.cancel(false);
        }
        // fine enough to ping at a third and notice silence at two thirds of the timeout
        tickMillis = Math.max(5, Math.min(100, sessionTimeout / 20));
        ticker = loop.scheduleAtFixedRate(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        long now = now();
        switch (phase) {
            case CONNECTED -> {
                int timeout = negotiatedTimeout;
                long readTimeout = timeout * 2L / 3;
                if (now - lastHeard >= readTimeout) {
                    drop(conn, "nothing heard from " + conn.server + " for " + (now - lastHeard) + " ms");
                } else if (now - lastSent >= Math.min(timeout / 3, MAX_PING_INTERVAL_MS)) {
                    send(FrameCodec.encode(conn.channel.alloc(), new RequestHeader(PING_XID, OpCode.PING)));
                    conn.channel.flush();
                }
            }
            case CONNECTING, HANDSHAKING -> {
                if (now - attemptStartedAt >= connectTimeoutMillis()) {
                    attemptFailed(conn, "no session after " + (now - attemptStartedAt) + " ms");
                }
            }
            case CLOSING -> {
                if (now - closeStartedAt >= negotiatedTimeout * 2L / 3) {
                    finishClose("no reply to closeSession");
                }
            }
            default -> { }
        }
        if (phase == Phase.DISCONNECTED || phase == Phase.CONNECTING || phase == Phase.HANDSHAKING) {
            if (hadSession && now - lastHeard >= negotiatedTimeout) {
                expire("nothing heard from any server for the session timeout (" + negotiatedTimeout + " ms)");
            } else if (!hadSession && now - createdAt >= options.connectionTimeout().toMillis()) {
                giveUpConnecting();
            }
        }
    }

    private static long now() {
        return System.nanoTime() / 1_000_000;
    }

    // ------------------------------------------------------------------ losing and ending

    /** Gives up on a connection: what was sent fails with ConnectionLoss, and a reconnect is scheduled. */
    private void drop(Connection c, String reason) {
        if (c != conn || c.dropped) {
            return;
        }
        c.dropped = true;
        conn = null;
        if (c.channel != null) {
            c.channel.close();
        }
        switch (phase) {
            case CONNECTED -> {
                LOG.info("Connection to {} lost ({}); session 0x{} suspended", c.server, reason,
                        Long.toHexString(sessionId));
                failSent("connection lost: " + reason);
                phase = Phase.DISCONNECTED;
                setState(ConnectionState.SUSPENDED);
                scheduleAttempt();
            }
            case CONNECTING, HANDSHAKING -> {
                LOG.debug("Connection attempt to {} failed: {}", c.server, reason);
                phase = Phase.DISCONNECTED;
                scheduleAttempt();
            }
            case CLOSING -> finishClose(reason);
            default -> { }
        }
    }

    private void failSent(String why) {
        while (!sent.isEmpty()) {
            Packet<?> p = sent.poll();
            p.fail(MeerkatException.of(Code.CONNECTIONLOSS, p.path, why));
        }
        while (!authSent.isEmpty()) {
            Packet<?> p = authSent.poll().packet();
            if (p != null) {
                p.fail(MeerkatException.of(Code.CONNECTIONLOSS, null, why));
            }
        }
    }

    private void failWaiting(MeerkatException error) {
        while (!waiting.isEmpty()) {
            Packet<?> p = waiting.poll();
            p.fail(MeerkatException.of(error.code(), p.path, terminalDetail()));
        }
        for (Credential c : credentials) {
            if (c.waiting != null) {
                c.waiting.fail(error);
                c.waiting = null;
            }
        }
    }

    private void expire(String reason) {
        if (phase == Phase.TERMINATED) {
            return;
        }
        LOG.warn("Session 0x{} expired: {}", Long.toHexString(sessionId), reason);
        endSession(ConnectionState.EXPIRED, "session expired: " + reason);
        MeerkatException error = MeerkatException.of(Code.SESSIONEXPIRED, null, reason);
        firstSession.completeExceptionally(error);
        finishTermination();
    }

    private void beginClose() {
        if (phase == Phase.TERMINATED || phase == Phase.CLOSING) {
            return;
        }
        if (phase == Phase.CONNECTED) {
            phase = Phase.CLOSING;
            closeStartedAt = now();
            // requests already sent are answered before this, so they still complete normally
            write(new Packet<Void>(OpCode.CLOSE_SESSION, null, null, (err, in) -> null));
            conn.channel.flush();
            return;
        }
        finishClose(hadSession ? "closed while disconnected; the server expires the session" : "closed before connecting");
    }

    private void finishClose(String reason) {
        if (phase == Phase.TERMINATED) {
            return;
        }
        LOG.info("Session 0x{} closed ({})", Long.toHexString(sessionId), reason);
        endSession(ConnectionState.CLOSED, "client closed");
        firstSession.completeExceptionally(
                MeerkatException.of(Code.CONNECTIONLOSS, null, "the client was closed before it connected"));
        finishTermination();
    }

    private void giveUpConnecting() {
        String reason = "no session with any of " + hosts + " within " + options.connectionTimeout().toMillis() + " ms";
        LOG.warn("Giving up: {}", reason);
        endSession(ConnectionState.CLOSED, reason);
        firstSession.completeExceptionally(MeerkatException.of(Code.CONNECTIONLOSS, null, reason));
        finishTermination();
    }

    private String terminalReason;

    private void endSession(ConnectionState finalState, String reason) {
        terminalReason = reason;
        Connection c = conn;
        conn = null;
        phase = Phase.TERMINATED;
        if (c != null) {
            c.dropped = true;
            if (c.channel != null) {
                c.channel.close();
            }
        }
        failSent(reason);
        failWaiting(terminalError(null));
        watches.clear();
        if (ticker != null) {
            ticker.cancel(false);
        }
        if (nextAttempt != null) {
            nextAttempt.cancel(false);
        }
        setState(finalState);
    }

    private void finishTermination() {
        terminated.complete(null);
        // the event thread ends once it has delivered the last state change
        events.shutdown();
        if (ownedGroup != null) {
            ownedGroup.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS);
        }
    }

    /** What calls fail with once the client has ended: nothing was sent, and nothing will be. */
    private MeerkatException terminalError(String path) {
        return MeerkatException.of(Code.SESSIONEXPIRED, path, terminalDetail());
    }

    private String terminalDetail() {
        String r = terminalReason;
        return r == null ? "client closed" : r;
    }

    private void setState(ConnectionState s) {
        state = s;
        events.execute(() -> {
            for (ConnectionStateListener l : listeners) {
                try {
                    l.stateChanged(s);
                } catch (RuntimeException e) {
                    LOG.error("Connection state listener {} threw on {}", l, s, e);
                }
            }
        });
    }

    // ------------------------------------------------------------------ Netty

    private final class Handler extends ChannelInboundHandlerAdapter {
        private final Connection c;

        Handler(Connection c) {
            this.c = c;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            onActive(c);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            try {
                onFrame(c, frame);
            } finally {
                frame.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (phase == Phase.CONNECTING || phase == Phase.HANDSHAKING) {
                attemptFailed(c, "closed by " + c.server + " during the handshake");
            } else {
                drop(c, "closed by " + c.server);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (phase == Phase.CONNECTING || phase == Phase.HANDSHAKING) {
                attemptFailed(c, cause.toString());
            } else {
                drop(c, cause.toString());
            }
        }
    }
}
