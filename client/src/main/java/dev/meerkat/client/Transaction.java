package dev.meerkat.client;

import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.CreateMode;
import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.PathUtils;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.protocol.record.CheckVersionRequest;
import dev.meerkat.protocol.record.CreateRequest;
import dev.meerkat.protocol.record.CreateTTLRequest;
import dev.meerkat.protocol.record.DeleteRequest;
import dev.meerkat.protocol.record.MultiOperationRecord;
import dev.meerkat.protocol.record.MultiResponse;
import dev.meerkat.protocol.record.SetDataRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Operations applied atomically (ZooKeeper's multi): all of them, with one zxid, or none. Later
 * operations see the effects of earlier ones.
 *
 * <pre>{@code
 * client.transaction()
 *       .check("/config", 3)
 *       .setData("/config", next, 3)
 *       .create("/config/history-", old, CreateMode.PERSISTENT_SEQUENTIAL)
 *       .commit();
 * }</pre>
 *
 * <p>{@link #commit()} completes with one {@link OpResult} per operation. If one fails, the future
 * fails with a {@link MeerkatException} of the first failing operation's code and path, whose
 * {@link MeerkatException#results()} hold every operation's outcome. Arguments are checked when an
 * operation is added (IllegalArgumentException); ACLs and versions are checked by the server.
 * A builder can be committed more than once; each commit sends what it holds then.
 */
public final class Transaction {
    private final MeerkatClient client;
    private final List<MultiOperationRecord.Op> ops = new ArrayList<>();
    private final List<String> paths = new ArrayList<>();

    Transaction(MeerkatClient client) {
        this.client = client;
    }

    /** Creates a node with an open ACL. */
    public Transaction create(String path, byte[] data, CreateMode mode) {
        return create(path, data, ACL.OPEN_ACL_UNSAFE, mode, -1);
    }

    public Transaction create(String path, byte[] data, List<ACL> acl, CreateMode mode) {
        return create(path, data, acl, mode, -1);
    }

    /** Creates a node; {@code ttlMillis} as in {@link MeerkatClient#create(String, byte[], List, CreateMode, long)}. */
    public Transaction create(String path, byte[] data, List<ACL> acl, CreateMode mode, long ttlMillis) {
        Objects.requireNonNull(mode, "mode");
        PathUtils.validatePath(path, mode.isSequential());
        MeerkatClient.validateTtl(mode, ttlMillis);
        String sp = client.serverPath(path);
        if (mode.isTtl()) {
            add(path, new MultiOperationRecord.Op(OpCode.CREATE_TTL,
                    new CreateTTLRequest(sp, data, acl, mode.flag(), ttlMillis)));
        } else {
            // create2 so each result carries the new node's Stat
            add(path, new MultiOperationRecord.Op(mode.isContainer() ? OpCode.CREATE_CONTAINER : OpCode.CREATE2,
                    new CreateRequest(sp, data, acl, mode.flag())));
        }
        return this;
    }

    /** Deletes a node if its version matches ({@code -1} matches any). */
    public Transaction delete(String path, int version) {
        PathUtils.validatePath(path);
        add(path, new MultiOperationRecord.Op(OpCode.DELETE, new DeleteRequest(client.serverPath(path), version)));
        return this;
    }

    public Transaction setData(String path, byte[] data, int version) {
        PathUtils.validatePath(path);
        add(path, new MultiOperationRecord.Op(OpCode.SET_DATA,
                new SetDataRequest(client.serverPath(path), data, version)));
        return this;
    }

    /** Fails the transaction unless the node exists with this version ({@code -1}: just exists). */
    public Transaction check(String path, int version) {
        PathUtils.validatePath(path);
        add(path, new MultiOperationRecord.Op(OpCode.CHECK,
                new CheckVersionRequest(client.serverPath(path), version)));
        return this;
    }

    public int size() {
        return ops.size();
    }

    private void add(String path, MultiOperationRecord.Op op) {
        ops.add(op);
        paths.add(path);
    }

    /** Sends the transaction; an empty one completes at once without asking the server, as in ZooKeeper. */
    public CompletableFuture<List<OpResult>> commit() {
        if (ops.isEmpty()) {
            return client.completed(List.of());
        }
        return client.async(this::packet);
    }

    Packet<List<OpResult>> packet() {
        List<String> opPaths = List.copyOf(paths);
        Chroot chroot = client.chroot();
        return new Packet<>(OpCode.MULTI, new MultiOperationRecord(List.copyOf(ops)), null, (err, in) -> {
            Packet.check(err, null);
            List<OpResult> results = MultiResults.of(MultiResponse.read(in), chroot);
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i) instanceof OpResult.ErrorResult e && e.code() != Code.OK) {
                    throw MeerkatException.of(e.code(), i < opPaths.size() ? opPaths.get(i) : null, null, results);
                }
            }
            return results;
        });
    }
}
