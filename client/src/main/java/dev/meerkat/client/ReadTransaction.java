package dev.meerkat.client;

import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.PathUtils;
import dev.meerkat.protocol.record.GetChildrenRequest;
import dev.meerkat.protocol.record.GetDataRequest;
import dev.meerkat.protocol.record.MultiOperationRecord;
import dev.meerkat.protocol.record.MultiResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Several reads in one round trip (ZooKeeper's multiRead). Not atomic: each read succeeds or fails
 * on its own, so {@link #commit()} completes with a {@link OpResult.GetDataResult}, {@link
 * OpResult.GetChildrenResult} or {@link OpResult.ErrorResult} per read, and fails only if the
 * whole request does. Reads here leave no watches.
 */
public final class ReadTransaction {
    private final MeerkatClient client;
    private final List<MultiOperationRecord.Op> ops = new ArrayList<>();

    ReadTransaction(MeerkatClient client) {
        this.client = client;
    }

    public ReadTransaction getData(String path) {
        PathUtils.validatePath(path);
        ops.add(new MultiOperationRecord.Op(OpCode.GET_DATA, new GetDataRequest(client.serverPath(path), false)));
        return this;
    }

    /** Child names of the node. */
    public ReadTransaction getChildren(String path) {
        PathUtils.validatePath(path);
        ops.add(new MultiOperationRecord.Op(OpCode.GET_CHILDREN,
                new GetChildrenRequest(client.serverPath(path), false)));
        return this;
    }

    public int size() {
        return ops.size();
    }

    public CompletableFuture<List<OpResult>> commit() {
        if (ops.isEmpty()) {
            return client.completed(List.of());
        }
        return client.async(this::packet);
    }

    Packet<List<OpResult>> packet() {
        Chroot chroot = client.chroot();
        return new Packet<>(OpCode.MULTI_READ, new MultiOperationRecord(List.copyOf(ops)), null, (err, in) -> {
            Packet.check(err, null);
            return MultiResults.of(MultiResponse.read(in), chroot);
        });
    }
}
