package dev.meerkat.server.quorum;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connections between this server and the other servers of the ensemble.
 *
 * <p>Each server dials every peer itself and only ever sends on that outbound connection; what it
 * accepts it only reads. So two servers hold two connections, one per direction, and there is never
 * a question of which of two simultaneous dials wins (ZooKeeper's "only the larger id dials" dance).
 * The first frame of an outbound connection is a hello naming the dialler (see {@link PeerCodec}
 * for the layout); an inbound connection whose hello is wrong, or whose id is not a peer, is closed.
 *
 * <p>Delivery is best effort and in order per connection: a message for a peer with no connection
 * up is dropped and a connect started, since the ZAB core re-sends what matters. Sends never block:
 * frames are encoded on the caller's thread, queued, and written by the event loop, which flushes
 * once per batch; when a peer stops reading and more than {@link #MAX_OUTSTANDING_BYTES} are waiting
 * for it, further messages to it are dropped rather than queued without bound.
 */
public final class PeerNetwork implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerNetwork.class);

    /** What the network reports. Called on Netty threads, so it must be cheap and must not block. */
    public interface Listener {
        void received(int from, PeerMessage m);

        /** An established connection to or from {@code peer} closed. */
        void disconnected(int peer);
    }

    static final int HELLO_MAGIC = 0x4D4B5052; // "MKPR"
    static final int HELLO_VERSION = 1;
    static final int HELLO_LENGTH = 12;
    /** A SNAP sync carries a whole snapshot in one frame. */
    static final int MAX_FRAME = 1 << 30;
    /** Bytes queued or in the socket buffer for one peer beyond which messages to it are dropped. */
    static final long MAX_OUTSTANDING_BYTES = 64L << 20;
    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long RECONNECT_PERIOD_MILLIS = 250;
    private static final int CONNECT_TIMEOUT_MILLIS = 3000;
    /** An inbound connection that has not said who it is by then is closed. */
    private static final long HELLO_TIMEOUT_MILLIS = 10_000;
    private static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final int myid;
    private final InetSocketAddress bindAddress;
    private final Listener listener;
    private final Map<Integer, Peer> peers = new ConcurrentHashMap<>();
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private volatile boolean closed;
    private volatile Channel serverChannel;
    private volatile ScheduledFuture<?> reconnectTask;
    /** Every channel open now, in or out, so that close can close them all. */
    private final Map<Channel, Boolean> channels = new ConcurrentHashMap<>();

    public PeerNetwork(int myid, InetSocketAddress bindAddress, Map<Integer, InetSocketAddress> peers,
                       Listener listener) {
        this.myid = myid;
        this.bindAddress = bindAddress;
        this.listener = listener;
        peers.forEach((id, address) -> {
            if (id == myid) {
                throw new IllegalArgumentException("server " + myid + " listed among its own peers");
            }
            this.peers.put(id, new Peer(id, address));
        });
        this.group = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("meerkat-peer", true),
                NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("outbound", new OutboundHandler());
                    }
                });
    }

    /** Binds the listening socket and starts connecting to the peers. */
    public void start() throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(group, group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 64)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("frames", new PeerFrameDecoder());
                        ch.pipeline().addLast("inbound", new InboundHandler());
                    }
                });
        try {
            serverChannel = b.bind(bindAddress).sync().channel();
        } catch (Exception e) {
            // Netty rethrows a BindException unchecked: catch everything so that nothing is left running
            close();
            throw e;
        }
        LOG.info("Server {} listening for peers on {}", myid, serverChannel.localAddress());
        reconnectTask = group.next().scheduleWithFixedDelay(this::reconnectAll, 0, RECONNECT_PERIOD_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    public int boundPort() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /**
     * Where peer {@code id} listens now. A connection to its old address is closed and a new one is
     * dialled at once.
     */
    public void updatePeer(int id, InetSocketAddress address) {
        if (id == myid) {
            throw new IllegalArgumentException("server " + myid + " cannot be its own peer");
        }
        Peer p = peers.computeIfAbsent(id, i -> new Peer(i, address));
        InetSocketAddress old = p.address;
        p.address = address;
        p.nextAttemptNanos = System.nanoTime();
        if (!address.equals(old)) {
            Connection c = p.out;
            if (c != null) {
                c.channel.close();
            }
        }
        connect(p);
    }

    /**
     * Sends {@code m} to {@code to} if a connection to it is up, and otherwise drops it and starts
     * a connect. Never blocks; may be called from any thread.
     */
    public void send(int to, PeerMessage m) {
        Peer p = peers.get(to);
        if (p == null) {
            LOG.debug("Dropping {} for unknown server {}", m, to);
            return;
        }
        Connection c = p.out;
        if (c == null || !c.channel.isActive()) {
            connect(p);
            return;
        }
        if (p.outstanding.get() >= MAX_OUTSTANDING_BYTES) {
            p.dropped("server " + to + " is not reading: more than " + (MAX_OUTSTANDING_BYTES >> 20)
                    + " MiB wait for it");
            return;
        }
        int hint = PeerCodec.sizeHint(m);
        if (hint > MAX_FRAME) {
            LOG.error("Dropping a message of about {} bytes for server {}: over the {}-byte frame limit", hint, to,
                    MAX_FRAME);
            return;
        }
        ByteBuf frame = c.channel.alloc().buffer(4 + hint);
        try {
            frame.writeInt(0);
            PeerCodec.encode(m, frame);
        } catch (RuntimeException e) {
            frame.release();
            throw e;
        }
        int length = frame.readableBytes() - 4;
        if (length > MAX_FRAME) {
            frame.release();
            LOG.error("Dropping a message of {} bytes for server {}: over the {}-byte frame limit", length, to,
                    MAX_FRAME);
            return;
        }
        frame.setInt(0, length);
        p.outstanding.addAndGet(frame.readableBytes());
        c.enqueue(frame);
    }

    /** Whether the connection on which this server sends to {@code peer} is up. */
    public boolean isConnected(int peer) {
        Peer p = peers.get(peer);
        Connection c = p == null ? null : p.out;
        return c != null && c.channel.isActive();
    }

    /** Bytes encoded for {@code peer} and not yet handed to the kernel. */
    long outstandingBytes(int peer) {
        Peer p = peers.get(peer);
        return p == null ? 0 : p.outstanding.get();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ScheduledFuture<?> task = reconnectTask;
        if (task != null) {
            task.cancel(false);
        }
        Channel server = serverChannel;
        if (server != null) {
            server.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        for (Channel ch : channels.keySet()) {
            ch.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        for (Peer p : peers.values()) {
            Connection c = p.out;
            if (c != null) {
                c.releaseQueued();
            }
        }
    }

    // ---------------------------------------------------------------- connecting

    private void reconnectAll() {
        for (Peer p : peers.values()) {
            Connection c = p.out;
            if (c == null || !c.channel.isActive()) {
                connect(p);
            }
        }
    }

    /** Starts a connect to {@code p} unless one is in flight, it is up, or the backoff has not passed. */
    private void connect(Peer p) {
        if (closed || System.nanoTime() - p.nextAttemptNanos < 0) {
            return;
        }
        Connection current = p.out;
        if (current != null && current.channel.isActive()) {
            return;
        }
        if (!p.connecting.compareAndSet(false, true)) {
            return;
        }
        InetSocketAddress address = p.address;
        ChannelFuture f;
        try {
            f = bootstrap.connect(address);
        } catch (RuntimeException e) {
            // The event loops are shutting down.
            p.connecting.set(false);
            return;
        }
        f.addListener((ChannelFuture done) -> {
            try {
                if (done.isSuccess()) {
                    established(p, done.channel(), address);
                } else {
                    p.backOff();
                    LOG.debug("Server {} could not reach server {} at {}: {}", myid, p.id, address,
                            String.valueOf(done.cause()));
                }
            } finally {
                p.connecting.set(false);
            }
        });
    }

    /** Runs on the new channel's event loop, so the hello is queued before any message can be. */
    private void established(Peer p, Channel ch, InetSocketAddress address) {
        if (closed || !address.equals(p.address)) {
            ch.close();
            return;
        }
        channels.put(ch, Boolean.TRUE);
        ByteBuf hello = ch.alloc().buffer(4 + HELLO_LENGTH);
        hello.writeInt(HELLO_LENGTH).writeInt(HELLO_MAGIC).writeInt(HELLO_VERSION).writeInt(myid);
        ch.writeAndFlush(hello);
        Connection c = new Connection(p, ch);
        Connection old = p.out;
        p.out = c;
        if (old != null) {
            old.channel.close();
        }
        ch.closeFuture().addListener(done -> {
            channels.remove(ch);
            if (p.out == c) {
                p.out = null;
                p.backOff();
                LOG.info("Server {}: connection to server {} closed", myid, p.id);
                notifyDisconnected(p.id);
            }
        });
        LOG.info("Server {} connected to server {} at {}", myid, p.id, address);
    }

    private void notifyDisconnected(int peer) {
        if (closed) {
            return;
        }
        try {
            listener.disconnected(peer);
        } catch (RuntimeException e) {
            LOG.error("Listener failed on the disconnection of server {}", peer, e);
        }
    }

    // ---------------------------------------------------------------- state

    private static final class Peer {
        final int id;
        volatile InetSocketAddress address;
        volatile Connection out;
        /** The inbound connection whose hello named this peer most recently. */
        volatile Channel in;
        final AtomicBoolean connecting = new AtomicBoolean();
        volatile long nextAttemptNanos = System.nanoTime();
        final AtomicLong outstanding = new AtomicLong();
        final AtomicLong drops = new AtomicLong();
        final AtomicLong lastDropLogNanos = new AtomicLong(System.nanoTime() - DROP_LOG_INTERVAL_NANOS);

        Peer(int id, InetSocketAddress address) {
            this.id = id;
            this.address = address;
        }

        void backOff() {
            nextAttemptNanos = System.nanoTime()
                    + ThreadLocalRandom.current().nextLong(MIN_BACKOFF_NANOS, MAX_BACKOFF_NANOS + 1);
        }

        /** Counts a dropped message and logs, at most once every few seconds, how many were dropped. */
        void dropped(String why) {
            long n = drops.incrementAndGet();
            long last = lastDropLogNanos.get();
            long now = System.nanoTime();
            if (now - last >= DROP_LOG_INTERVAL_NANOS && lastDropLogNanos.compareAndSet(last, now)) {
                drops.addAndGet(-n);
                LOG.warn("Dropped {} message(s) for server {}: {}", n, id, why);
            }
        }
    }

    /**
     * Queued frames, written and flushed by the event loop in one go. A sender that queues a
     * frame schedules a drain unless one is scheduled and has not started; the drain clears the
     * flag before it takes frames, so a frame queued meanwhile is taken now or by the next drain.
     */
    static final class Connection {
        final Peer peer;
        final Channel channel;
        final Queue<ByteBuf> queue = new ConcurrentLinkedQueue<>();
        final AtomicBoolean drainScheduled = new AtomicBoolean();

        Connection(Peer peer, Channel channel) {
            this.peer = peer;
            this.channel = channel;
        }

        void enqueue(ByteBuf frame) {
            queue.add(frame);
            if (drainScheduled.compareAndSet(false, true)) {
                try {
                    channel.eventLoop().execute(this::drain);
                } catch (RuntimeException e) {
                    // The event loops have shut down; close releases what is left.
                    releaseQueued();
                }
            }
        }

        private void drain() {
            drainScheduled.set(false);
            ByteBuf frame;
            boolean wrote = false;
            while ((frame = queue.poll()) != null) {
                int size = frame.readableBytes();
                channel.write(frame).addListener(done -> peer.outstanding.addAndGet(-size));
                wrote = true;
            }
            if (wrote) {
                channel.flush();
            }
        }

        void releaseQueued() {
            ByteBuf frame;
            while ((frame = queue.poll()) != null) {
                peer.outstanding.addAndGet(-frame.readableBytes());
                ReferenceCountUtil.safeRelease(frame);
            }
        }
    }

    // ---------------------------------------------------------------- channel handlers

    /** Outbound connections carry nothing back; whatever arrives is discarded. */
    private final class OutboundHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("Server {}: outbound connection to {} failed: {}", myid, ctx.channel().remoteAddress(),
                    String.valueOf(cause));
            ctx.close();
        }
    }

    /**
     * Splits an inbound byte stream into frames. Until the hello has been read only a frame of the
     * hello's size is allowed, so an unknown dialler cannot make us buffer a gigabyte.
     */
    private static final class PeerFrameDecoder extends ByteToMessageDecoder {
        private boolean helloSeen;

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            if (ctx.channel().isActive() && in.readableBytes() >= 4) {
                int length = in.getInt(in.readerIndex());
                int max = helloSeen ? MAX_FRAME : HELLO_LENGTH;
                if (length < 0 || length > max) {
                    LOG.warn("Closing peer connection from {}: frame length {} is outside 0..{}",
                            ctx.channel().remoteAddress(), length, max);
                    in.skipBytes(in.readableBytes());
                    ctx.close();
                    return;
                }
                if (in.readableBytes() < 4 + length) {
                    return;
                }
                in.skipBytes(4);
                out.add(in.readRetainedSlice(length));
                helloSeen = true;
            }
            if (!ctx.channel().isActive()) {
                in.skipBytes(in.readableBytes());
            }
        }
    }

    private final class InboundHandler extends ChannelInboundHandlerAdapter {
        /** The peer this connection comes from, once its hello is read; -1 before. */
        private int from = -1;
        private Peer peer;
        private ScheduledFuture<?> helloTimeout;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (closed) {
                ctx.close();
                return;
            }
            channels.put(ctx.channel(), Boolean.TRUE);
            helloTimeout = ctx.executor().schedule(() -> {
                if (from < 0) {
                    LOG.warn("Closing peer connection from {}: no hello in {} ms", ctx.channel().remoteAddress(),
                            HELLO_TIMEOUT_MILLIS);
                    ctx.close();
                }
            }, HELLO_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            try {
                if (!ctx.channel().isActive()) {
                    return;
                }
                if (from < 0) {
                    hello(ctx, frame);
                    return;
                }
                PeerMessage m;
                try {
                    m = PeerCodec.decode(frame);
                } catch (PeerCodec.MalformedMessageException e) {
                    LOG.warn("Closing connection from server {} at {}: malformed message: {}", from,
                            ctx.channel().remoteAddress(), e.getMessage());
                    ctx.close();
                    return;
                }
                try {
                    listener.received(from, m);
                } catch (RuntimeException e) {
                    LOG.error("Listener failed on a message from server {}: {}", from, m, e);
                }
            } finally {
                frame.release();
            }
        }

        private void hello(ChannelHandlerContext ctx, ByteBuf frame) {
            if (frame.readableBytes() != HELLO_LENGTH) {
                LOG.warn("Closing peer connection from {}: hello of {} bytes, expected {}",
                        ctx.channel().remoteAddress(), frame.readableBytes(), HELLO_LENGTH);
                ctx.close();
                return;
            }
            int magic = frame.readInt();
            int version = frame.readInt();
            int id = frame.readInt();
            if (magic != HELLO_MAGIC || version != HELLO_VERSION) {
                LOG.warn("Closing peer connection from {}: bad hello (magic {}, version {})",
                        ctx.channel().remoteAddress(), Integer.toHexString(magic), version);
                ctx.close();
                return;
            }
            Peer p = peers.get(id);
            if (p == null) {
                LOG.warn("Closing peer connection from {}: server {} is not a peer of server {}",
                        ctx.channel().remoteAddress(), id, myid);
                ctx.close();
                return;
            }
            from = id;
            peer = p;
            helloTimeout.cancel(false);
            Channel old = p.in;
            p.in = ctx.channel();
            if (old != null) {
                // The peer dialled again (it restarted, or saw its connection die first): the old
                // connection is dead or soon will be, and its close must not report the new one lost.
                old.close();
            }
            LOG.info("Server {}: connection from server {} at {}", myid, id, ctx.channel().remoteAddress());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            channels.remove(ctx.channel());
            if (helloTimeout != null) {
                helloTimeout.cancel(false);
            }
            if (peer != null && peer.in == ctx.channel()) {
                peer.in = null;
                LOG.info("Server {}: connection from server {} closed", myid, from);
                notifyDisconnected(from);
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.warn("Closing peer connection from {} (server {}): {}", ctx.channel().remoteAddress(),
                    from < 0 ? "unknown" : String.valueOf(from), String.valueOf(cause));
            ctx.close();
        }
    }
}
