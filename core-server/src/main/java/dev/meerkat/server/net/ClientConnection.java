package dev.meerkat.server.net;

import dev.meerkat.protocol.FrameCodec;
import dev.meerkat.protocol.KeeperState;
import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.Perms;
import dev.meerkat.protocol.Requests;
import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.Record;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.protocol.record.ConnectRequest;
import dev.meerkat.protocol.record.Id;
import dev.meerkat.protocol.record.ReplyHeader;
import dev.meerkat.protocol.record.RequestHeader;
import dev.meerkat.protocol.record.WatcherEvent;
import dev.meerkat.server.request.Request;
import dev.meerkat.server.request.RequestProcessor;
import dev.meerkat.server.request.Slot;
import dev.meerkat.server.watch.WatchedEvent;
import dev.meerkat.server.watch.Watcher;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client connection. The Netty event loop decodes frames into requests and hands them to the
 * request processor in arrival order; the processor (the single owner of the tree) writes replies
 * and watch events back through {@link #send}. Because every write for a connection comes from that
 * one thread, a watch event is always on the wire before the reply of the write that fired it.
 */
public final class ClientConnection extends ChannelInboundHandlerAdapter implements Watcher {
    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);
    /** ZooKeeper drops connections that never complete a handshake after this long. */
    static final long SESSIONLESS_TIMEOUT_MS = 10_000;
    private static final AtomicLong IDS = new AtomicLong();

    private final RequestProcessor processor;
    private final ConnectionLimiter limiter;
    private final int maxFieldLength;
    private final long id = IDS.incrementAndGet();
    private Channel channel;
    private InetSocketAddress remote;
    private boolean handshakeSeen;

    // Owned by the request processor thread.
    private final List<Id> authInfo = new ArrayList<>();
    private boolean dirty;
    private boolean closed;
    private boolean throttled;
    private boolean oldClient;
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();
    private List<Request> awaitingSession;

    // Read by four-letter words from other threads.
    private volatile long sessionId;
    private volatile int sessionTimeout;
    private final long established = System.currentTimeMillis();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private volatile int lastOp = -999;
    private volatile long lastCxid = -1;
    private volatile long lastZxid = -1;
    private volatile long lastResponseTime;
    private volatile long lastLatency;
    private volatile long minLatency = Long.MAX_VALUE;
    private volatile long maxLatency;
    private volatile long totalLatency;
    private volatile long latencyCount;

    public ClientConnection(RequestProcessor processor, ConnectionLimiter limiter, int maxFieldLength) {
        this.processor = processor;
        this.limiter = limiter;
        this.maxFieldLength = maxFieldLength;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        remote = (InetSocketAddress) channel.remoteAddress();
        if (!limiter.tryAcquire(channel, remote.getAddress())) {
            LOG.warn("Too many connections from {} - max is {}", remote.getAddress().getHostAddress(),
                    limiter.max());
            ctx.close();
            return;
        }
        authInfo.add(new Id("ip", remote.getAddress().getHostAddress()));
        processor.connectionOpened(this);
        ctx.executor().schedule(() -> {
            if (!handshakeSeen && channel.isActive()) {
                LOG.info("Closing connection from {}: no handshake within {} ms", remote, SESSIONLESS_TIMEOUT_MS);
                channel.close();
            }
        }, SESSIONLESS_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (remote != null && limiter.counted(channel)) {
            limiter.release(remote.getAddress());
        }
        processor.connectionClosed(this);
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            received.incrementAndGet();
            JuteInput in = new JuteInput(frame, maxFieldLength);
            if (!handshakeSeen) {
                handshakeSeen = true;
                ConnectRequest req;
                try {
                    req = ConnectRequest.read(in);
                } catch (JuteException e) {
                    LOG.warn("Closing connection from {}: bad ConnectRequest: {}", remote, e.getMessage());
                    ctx.close();
                    return;
                }
                processor.submit(Request.connect(this, req));
                return;
            }
            RequestHeader header;
            try {
                header = RequestHeader.read(in);
            } catch (JuteException e) {
                LOG.warn("Closing connection from {}: truncated request header", remote);
                ctx.close();
                return;
            }
            if (!Requests.isKnown(header.type())) {
                processor.submit(Request.unknown(this, header));
                return;
            }
            Record body;
            try {
                body = Requests.readBody(header.type(), in);
            } catch (JuteException | IllegalArgumentException e) {
                processor.submit(Request.malformed(this, header, e.getMessage()));
                return;
            }
            processor.submit(Request.of(this, header, body));
        } finally {
            frame.release();
        }
        if (processor.overloaded()) {
            processor.throttle(this);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("Connection {} failed: {}", remote, cause.toString());
        ctx.close();
    }

    // ---- called on the request processor thread ----

    /** Writes one frame (header plus optional body); it goes out at the processor's next flush. */
    public void send(ReplyHeader header, Record body) {
        if (closed || channel == null) {
            return;
        }
        ByteBuf buf = body == null ? FrameCodec.encode(channel.alloc(), header)
                : FrameCodec.encode(channel.alloc(), header, body);
        channel.write(buf, channel.voidPromise());
        wrote();
    }

    private void wrote() {
        sent.incrementAndGet();
        processor.stats().sent();
        if (!dirty) {
            dirty = true;
            processor.needsFlush(this);
        }
    }

    /** Writes a bare record (the ConnectResponse has no header). */
    public void sendRaw(Record record) {
        if (closed || channel == null) {
            return;
        }
        channel.write(FrameCodec.encode(channel.alloc(), record), channel.voidPromise());
        wrote();
    }

    public void flushIfDirty() {
        if (dirty) {
            dirty = false;
            if (!closed) {
                channel.flush();
            }
        }
    }

    /** Flushes what was written, then closes. Later requests of this connection are ignored. */
    public void close() {
        if (closed || channel == null) {
            return;
        }
        closed = true;
        dirty = false;
        channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    public boolean isClosed() {
        return closed || channel == null || !channel.isOpen();
    }

    @Override
    public void process(WatchedEvent event, List<ACL> nodeAcl) {
        // ZooKeeper 3.9.2+ drops notifications the connection could not read the node for.
        if (nodeAcl != null && !processor.aclChecker().check(nodeAcl, Perms.READ, authInfo)) {
            return;
        }
        send(new ReplyHeader(-1, event.zxid(), 0),
                new WatcherEvent(event.type(), KeeperState.SYNC_CONNECTED, event.path()));
    }

    @Override
    public long sessionId() {
        return sessionId;
    }

    public void setSession(long sessionId, int timeout) {
        this.sessionId = sessionId;
        this.sessionTimeout = timeout;
    }

    public List<Id> authInfo() {
        return authInfo;
    }

    public InetSocketAddress remoteAddress() {
        return remote;
    }

    public InetAddress remoteInetAddress() {
        return remote.getAddress();
    }

    public long id() {
        return id;
    }

    public boolean isThrottled() {
        return throttled;
    }

    public void setThrottled(boolean throttled) {
        this.throttled = throttled;
        if (channel != null) {
            channel.config().setAutoRead(!throttled);
        }
    }

    /** Requests waiting for their turn to be answered (processor thread only). */
    public ArrayDeque<Slot> slots() {
        return slots;
    }

    /**
     * Requests that arrived while the session was being created, answered once it exists; null when
     * no session creation is in progress (processor thread only).
     */
    public List<Request> awaitingSession() {
        return awaitingSession;
    }

    public void setAwaitingSession(List<Request> requests) {
        this.awaitingSession = requests;
    }

    public boolean isOldClient() {
        return oldClient;
    }

    public void setOldClient(boolean oldClient) {
        this.oldClient = oldClient;
    }

    /** Records what {@code cons} prints about the last request answered. */
    public void recordResponse(int op, long cxid, long zxid, long latencyMs, long now) {
        lastOp = op;
        lastCxid = cxid;
        lastZxid = zxid;
        lastResponseTime = now;
        lastLatency = latencyMs;
        minLatency = Math.min(minLatency, latencyMs);
        maxLatency = Math.max(maxLatency, latencyMs);
        totalLatency += latencyMs;
        latencyCount++;
    }

    public void resetStats() {
        received.set(0);
        sent.set(0);
        lastOp = -999;
        lastCxid = -1;
        lastZxid = -1;
        lastResponseTime = 0;
        lastLatency = 0;
        minLatency = Long.MAX_VALUE;
        maxLatency = 0;
        totalLatency = 0;
        latencyCount = 0;
    }

    /** The line {@code stat} prints for this connection. */
    public String briefLine() {
        return " " + remote + "[" + (channel != null && channel.config().isAutoRead() ? 1 : 0)
                + "](queued=0,recved=" + received.get() + ",sent=" + sent.get() + ")";
    }

    /** The line {@code cons} prints for this connection. */
    public String fullLine() {
        StringBuilder sb = new StringBuilder(" ").append(remote)
                .append('[').append(channel != null && channel.config().isAutoRead() ? 1 : 0).append(']')
                .append("(queued=0,recved=").append(received.get()).append(",sent=").append(sent.get());
        long sid = sessionId;
        if (sid != 0) {
            long n = latencyCount;
            sb.append(",sid=0x").append(Long.toHexString(sid))
                    .append(",lop=").append(lastOp == -999 ? "NA" : OpCode.shortName(lastOp))
                    .append(",est=").append(established)
                    .append(",to=").append(sessionTimeout);
            if (lastCxid >= 0) {
                sb.append(",lcxid=0x").append(Long.toHexString(lastCxid));
            }
            sb.append(",lzxid=0x").append(Long.toHexString(lastZxid))
                    .append(",lresp=").append(lastResponseTime)
                    .append(",llat=").append(lastLatency)
                    .append(",minlat=").append(n == 0 ? 0 : minLatency)
                    .append(",avglat=").append(n == 0 ? 0 : totalLatency / n)
                    .append(",maxlat=").append(maxLatency);
        }
        return sb.append(')').toString();
    }

    @Override
    public String toString() {
        return "connection " + id + " from " + remote + " session 0x" + Long.toHexString(sessionId);
    }
}
