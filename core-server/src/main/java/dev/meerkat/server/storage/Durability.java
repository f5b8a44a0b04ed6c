package dev.meerkat.server.storage;

import dev.meerkat.server.config.ServerConfig;
import dev.meerkat.server.request.TxnSink;
import dev.meerkat.server.tree.DataTree;
import dev.meerkat.server.txn.CloseSessionTxn;
import dev.meerkat.server.txn.CreateSessionTxn;
import dev.meerkat.server.txn.TxnHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A server's data directories: recovery at start-up (the newest good snapshot, then every logged
 * txn after it) and, afterwards, the group-commit log that makes each txn durable before it is
 * applied. Snapshots live in {@code dataDir/version-2}, log segments in {@code dataLogDir/version-2},
 * where ZooKeeper keeps its own.
 */
public final class Durability implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Durability.class);

    /** What start-up found on disk. */
    public record Recovered(DataTree tree, Collection<SnapshotSession> sessions, long snapshotZxid,
                            long replayedTxns, long millis) {
    }

    private final ServerConfig config;
    private final Path snapshotDir;
    private final Path logDir;
    private final Recovered recovered;
    private final GroupCommitLog log;

    private Durability(ServerConfig config, Path snapshotDir, Path logDir, Recovered recovered, GroupCommitLog log) {
        this.config = config;
        this.snapshotDir = snapshotDir;
        this.logDir = logDir;
        this.recovered = recovered;
        this.log = log;
    }

    /**
     * Recovers the tree and sessions and opens the log for appending (cutting off a torn tail).
     *
     * @throws IOException when the data cannot be trusted (every snapshot corrupt, a corrupt record
     *     in the middle of the log, a missing segment); the message names the file and offset
     */
    public static Durability open(ServerConfig config) throws IOException {
        long started = System.nanoTime();
        Path snapshotDir = config.dataDir().resolve("version-2");
        Path logDir = config.dataLogDir().resolve("version-2");
        Files.createDirectories(snapshotDir);
        Files.createDirectories(logDir);
        Snapshots.deleteTempFiles(snapshotDir);

        Snapshot snapshot;
        try {
            snapshot = Snapshots.loadNewest(snapshotDir).orElse(null);
        } catch (SnapshotCorruptException e) {
            throw new IOException(e.getMessage(), e);
        }
        DataTree tree = snapshot == null ? new DataTree() : snapshot.tree();
        long from = snapshot == null ? 0 : snapshot.startZxid();
        Map<Long, SnapshotSession> sessions = new LinkedHashMap<>();
        if (snapshot != null) {
            snapshot.sessions().forEach(s -> sessions.put(s.id(), s));
        }
        TxnLog.Recovery replay = TxnLog.read(logDir, from, entry -> {
            TxnHeader h = entry.header();
            tree.processTxnForRecovery(h, entry.txn());
            if (entry.txn() instanceof CreateSessionTxn c) {
                sessions.put(h.sessionId(), new SnapshotSession(h.sessionId(), c.timeOut(), c.passwd()));
            } else if (entry.txn() instanceof CloseSessionTxn) {
                sessions.remove(h.sessionId());
            }
        });
        tree.finishRecovery();
        if (replay.torn()) {
            LOG.warn("The log ends in a torn record ({}) in {} at offset {}; it is cut off there",
                    replay.tornReason(), replay.tornSegment(), replay.tornOffset());
        }
        TxnLog txnLog = TxnLog.open(logDir, TxnLog.Options.defaults()
                .withForceSync(config.forceSync())
                .withPreallocBytes(config.preAllocSizeKb() * 1024L));
        long millis = (System.nanoTime() - started) / 1_000_000;
        Recovered recovered = new Recovered(tree, List.copyOf(sessions.values()), from, replay.replayed(), millis);
        LOG.info("Recovered {} nodes and {} sessions at zxid 0x{} in {} ms ({}, {} txns replayed from the log)",
                tree.nodeCount(), sessions.size(), Long.toHexString(tree.lastProcessedZxid()), millis,
                snapshot == null ? "no snapshot" : "snapshot " + snapshot.file().getFileName(), replay.replayed());
        return new Durability(config, snapshotDir, logDir, recovered, GroupCommitLog.start(txnLog));
    }

    public Recovered recovered() {
        return recovered;
    }

    public Path snapshotDir() {
        return snapshotDir;
    }

    public Path logDir() {
        return logDir;
    }

    public GroupCommitLog log() {
        return log;
    }

    /** The request pipeline's view of the log: a txn is applied only after its fsync. */
    public TxnSink sink() {
        return (header, txn, onDurable, onFailure) -> {
            try {
                log.submit(header, txn).whenComplete((ok, error) -> {
                    if (error == null) {
                        onDurable.run();
                    } else {
                        onFailure.accept(error);
                    }
                });
            } catch (RuntimeException e) {
                onFailure.accept(e);
            }
        };
    }

    /**
     * Keeps the newest autopurge.snapRetainCount snapshots and the log segments they need; deletes
     * the rest. Runs on any thread: it touches only files the writer no longer appends to.
     */
    public void purge() {
        try {
            OptionalLong oldestKept = Snapshots.purge(snapshotDir, config.snapRetainCount());
            if (oldestKept.isPresent()) {
                List<Path> removed = TxnLog.purge(logDir, oldestKept.getAsLong());
                LOG.info("Purged old data: kept {} snapshots, removed {} log segments", config.snapRetainCount(),
                        removed.size());
            }
        } catch (IOException e) {
            LOG.warn("Purging old snapshots and log segments failed; will try again next time", e);
        }
    }

    @Override
    public void close() throws IOException {
        log.close();
    }
}
