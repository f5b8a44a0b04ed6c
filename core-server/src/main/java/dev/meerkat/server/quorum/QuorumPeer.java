package dev.meerkat.server.quorum;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.record.Id;
import dev.meerkat.server.request.EnsembleMember;
import dev.meerkat.server.request.RequestProcessor;
import dev.meerkat.server.storage.Entry;
import dev.meerkat.server.storage.Snapshot;
import dev.meerkat.server.storage.TxnCodec;
import dev.meerkat.server.tree.DataTree;
import dev.meerkat.server.txn.Txn;
import dev.meerkat.server.txn.TxnHeader;
import dev.meerkat.server.zab.Envelope;
import dev.meerkat.server.zab.Message;
import dev.meerkat.server.zab.Proposal;
import dev.meerkat.server.zab.Ready;
import dev.meerkat.server.zab.Role;
import dev.meerkat.server.zab.ZabNode;
import dev.meerkat.server.zab.Zxid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The I/O shell around one server's {@link ZabNode}: it feeds the node ticks and peers' messages,
 * and carries out its {@link Ready}s: messages to the network at once, the durable part on a disk
 * thread (one Ready at a time, so a slow fsync batches everything behind it), committed entries to
 * the request processor, which applies them in zxid order.
 *
 * <p>The node lives on the request processor's thread, next to the tree: every input is queued
 * there ({@link RequestProcessor#execute}) and every Ready is drawn after a batch of tasks. So the
 * leader's prepare step, its proposals and its applies share one owner and need no locks, and all
 * proposals of a batch leave in one Ready.
 */
public final class QuorumPeer implements EnsembleMember, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QuorumPeer.class);
    /** Followers tell the leader which sessions are alive this often, in ZAB ticks. */
    private static final int TOUCH_EVERY_TICKS = 5;

    /** Where messages to other servers go. */
    @FunctionalInterface
    public interface Transport {
        void send(int to, PeerMessage m);
    }

    private final QuorumConfig config;
    private final ZabStorage storage;
    private final RequestProcessor processor;
    private final Transport transport;
    private final ZabNode zab;
    private final ExecutorService disk;
    private final ScheduledExecutorService ticker;

    private Ready inflight;
    private boolean failed;
    private boolean open;
    private long appliedZxid;
    private boolean servingLeader;
    private long leaderBaseline;
    private long openEpoch = -1;
    private int openLeader = -1;
    private long ticks;
    private Role lastRole;
    private int lastLeader = -2;
    private long lookingSinceNanos = System.nanoTime();

    QuorumPeer(QuorumConfig config, ZabStorage storage, RequestProcessor processor, Transport transport) {
        this.config = config;
        this.storage = storage;
        this.processor = processor;
        this.transport = transport;
        this.zab = new ZabNode(config.zab(), storage.incarnation(), storage.persistent());
        this.appliedZxid = storage.persistent().snapshot().zxid();
        this.disk = Executors.newSingleThreadExecutor(r -> daemon(r, "meerkat-zab-disk-" + config.myid()));
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "meerkat-zab-tick-" + config.myid()));
        processor.joinEnsemble(this);
        processor.onBatchEnd(this::pump);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Starts the clock; the processor must be started too. */
    void start() {
        ticker.scheduleAtFixedRate(() -> processor.execute(this::tick), config.zabTickMs(), config.zabTickMs(),
                TimeUnit.MILLISECONDS);
    }

    // ------------------------------------------------------------------ inputs (any thread)

    /** A message from another server (a network thread calls this). */
    void received(int from, PeerMessage m) {
        processor.execute(() -> onMessage(from, m));
    }

    /** The connection to or from {@code peer} broke (a network thread calls this). */
    void disconnected(int peer) {
        processor.execute(() -> {
            if (!failed) {
                zab.disconnected(peer);
            }
        });
    }

    // ------------------------------------------------------------------ on the processor thread

    private void tick() {
        if (failed) {
            return;
        }
        zab.tick();
        if (++ticks % TOUCH_EVERY_TICKS == 0) {
            processor.flushTouches();
        }
    }

    private void onMessage(int from, PeerMessage m) {
        if (failed) {
            return;
        }
        if (m instanceof PeerMessage.Zab z) {
            zab.step(from, z.message());
        } else if (m instanceof PeerMessage.Forward f) {
            processor.onForward(f.sessionId(), f.cxid(), f.type(), f.body(), f.authInfo());
        } else if (m instanceof PeerMessage.CreateSession c) {
            processor.onCreateSession(c.sessionId(), c.timeout(), c.passwd());
        } else if (m instanceof PeerMessage.Touch t) {
            processor.onTouch(t.sessionIds());
        } else if (m instanceof PeerMessage.SyncRequest s) {
            processor.onSyncRequest(from, s.sessionId(), s.cxid());
        } else if (m instanceof PeerMessage.Attached a) {
            processor.onAttachedElsewhere(a.sessionId());
        } else if (m instanceof PeerMessage.SyncReply s && from == zab.leader()) {
            processor.onSyncReply(s.sessionId(), s.cxid(), s.zxid());
        }
    }

    /** Hands out the node's effects; runs after every batch of processor tasks. */
    private void pump() {
        if (failed) {
            return;
        }
        try {
            while (inflight == null && zab.hasReady()) {
                Ready rd = zab.ready();
                for (Envelope e : rd.messages()) {
                    transport.send(e.to(), new PeerMessage.Zab(resolveSnapshot(e.message())));
                }
                if (rd.snapshot() != null) {
                    installSnapshot(rd.snapshot());
                }
                for (Proposal p : rd.committed()) {
                    apply(p);
                }
                noteRole(rd);
                if (rd.mustPersist()) {
                    inflight = rd;
                    disk.execute(() -> write(rd));
                } else {
                    zab.advance(rd);
                }
            }
            updateOpen();
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    private void write(Ready rd) {
        try {
            storage.write(rd);
            processor.execute(() -> {
                if (!failed) {
                    zab.advance(rd);
                    inflight = null;
                }
            });
        } catch (IOException | RuntimeException e) {
            processor.execute(() -> fail(e));
        }
    }

    /** A SNAP names the snapshot by file until it is sent; the follower gets the bytes. */
    private static Message resolveSnapshot(Message m) throws IOException {
        if (m instanceof Message.Sync s && s.snapshot() != null) {
            dev.meerkat.server.zab.Snapshot full = ZabStorage.resolve(s.snapshot());
            if (full != s.snapshot()) {
                return new Message.Sync(s.session(), s.seq(), s.kind(), s.after(), full, s.entries(), s.commitZxid());
            }
        }
        return m;
    }

    private void installSnapshot(dev.meerkat.server.zab.Snapshot s) throws IOException {
        LOG.info("Installing the leader's snapshot at zxid {} ({} bytes)", Zxid.toString(s.zxid()), s.data().length);
        if (s.data().length == 0) {
            processor.installTree(new DataTree(), List.of());
        } else {
            Snapshot snap = storage.writeSnapshot(s);
            DataTree tree = snap.tree();
            if (tree.isRecovering() && tree.lastProcessedZxid() >= tree.recoveryHorizon()) {
                tree.finishRecovery();
            }
            processor.installTree(tree, snap.sessions());
        }
        appliedZxid = s.zxid();
    }

    private void apply(Proposal p) {
        Entry e;
        try {
            e = TxnCodec.decode(p.payload());
        } catch (JuteException ex) {
            throw new IllegalStateException("committed entry " + Zxid.toString(p.zxid()) + " does not decode", ex);
        }
        if (e.zxid() != p.zxid()) {
            throw new IllegalStateException("entry " + Zxid.toString(p.zxid()) + " carries zxid "
                    + Zxid.toString(e.zxid()));
        }
        processor.applyCommitted(e.header(), e.txn());
        appliedZxid = p.zxid();
    }

    private void noteRole(Ready rd) {
        if (rd.role() == lastRole && rd.leader() == lastLeader) {
            return;
        }
        if (rd.role() == Role.LOOKING) {
            lookingSinceNanos = System.nanoTime();
            LOG.info("Server {} is LOOKING: {}", config.myid(), zab.lastLookingReason());
        } else {
            LOG.info("Server {} is {} (leader {}) after {} ms of election", config.myid(), rd.role(), rd.leader(),
                    (System.nanoTime() - lookingSinceNanos) / 1_000_000);
        }
        lastRole = rd.role();
        lastLeader = rd.leader();
    }

    private void updateOpen() {
        boolean serving = zab.isServing();
        boolean leading = zab.role() == Role.LEADING;
        long epoch = leading ? zab.establishedEpoch() : -1;
        if (open && (!serving || zab.leader() != openLeader || epoch != openEpoch)) {
            setOpen(false);
        }
        if (serving && leading && !servingLeader) {
            servingLeader = true;
            leaderBaseline = zab.lastZxid();
        }
        if (!serving || !leading) {
            servingLeader = false;
        }
        boolean ready = serving && !processor.tree().isRecovering() && (!leading || appliedZxid >= leaderBaseline);
        if (ready && !open) {
            openLeader = zab.leader();
            openEpoch = epoch;
            setOpen(true);
            LOG.info("Server {} serving clients as {} of leader {}, {} ms after it started looking; last zxid {}",
                    config.myid(), zab.role(), zab.leader(), (System.nanoTime() - lookingSinceNanos) / 1_000_000,
                    Zxid.toString(appliedZxid));
        }
    }

    private void setOpen(boolean value) {
        open = value;
        processor.setOpen(value);
    }

    private void fail(Throwable e) {
        if (failed) {
            return;
        }
        failed = true;
        LOG.error("Server {} stops serving: its disk or state cannot be trusted; restart it to recover from disk",
                config.myid(), e);
        setOpen(false);
        ticker.shutdownNow();
    }

    // ------------------------------------------------------------------ EnsembleMember

    @Override
    public int myid() {
        return config.myid();
    }

    @Override
    public boolean leads() {
        return !failed && zab.role() == Role.LEADING && zab.isServing();
    }

    @Override
    public long nextZxid() {
        return zab.nextZxid();
    }

    @Override
    public void propose(TxnHeader header, Txn txn) {
        long zxid = zab.propose(TxnCodec.encode(header, txn));
        if (zxid != header.zxid()) {
            throw new IllegalStateException("prepared for zxid " + Zxid.toString(header.zxid()) + " but proposed as "
                    + Zxid.toString(zxid));
        }
    }

    private void toLeader(PeerMessage m) {
        int leader = zab.leader();
        if (leader >= 0 && leader != config.myid()) {
            transport.send(leader, m);
        }
    }

    @Override
    public void forward(long sessionId, int cxid, int type, byte[] body, List<Id> authInfo) {
        toLeader(new PeerMessage.Forward(sessionId, cxid, type, body, authInfo));
    }

    @Override
    public void forwardCreateSession(long sessionId, int timeout, byte[] passwd) {
        toLeader(new PeerMessage.CreateSession(sessionId, timeout, passwd));
    }

    @Override
    public void forwardSync(long sessionId, int cxid) {
        toLeader(new PeerMessage.SyncRequest(sessionId, cxid));
    }

    @Override
    public void replySync(int to, long sessionId, int cxid, long zxid) {
        transport.send(to, new PeerMessage.SyncReply(sessionId, cxid, zxid));
    }

    @Override
    public void attached(long sessionId) {
        for (int id : config.peers().keySet()) {
            if (id != config.myid()) {
                transport.send(id, new PeerMessage.Attached(sessionId));
            }
        }
    }

    @Override
    public void touch(long[] sessionIds) {
        toLeader(new PeerMessage.Touch(sessionIds));
    }

    @Override
    public void snapshotWritten(long zxid, Path file) {
        if (!failed && zxid <= zab.durableZxid() && zxid <= zab.appliedZxid()) {
            zab.compact(zxid, ZabStorage.handle(file));
        }
    }

    // ------------------------------------------------------------------ observation

    public Role role() {
        return zab.role();
    }

    public int leader() {
        return zab.leader();
    }

    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        disk.shutdown();
        try {
            disk.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            storage.close();
        } catch (IOException e) {
            LOG.warn("Closing the log of server {} failed", config.myid(), e);
        }
    }
}
