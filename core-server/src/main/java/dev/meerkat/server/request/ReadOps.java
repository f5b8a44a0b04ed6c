package dev.meerkat.server.request;

import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.Perms;
import dev.meerkat.protocol.WatcherType;
import dev.meerkat.protocol.jute.Record;
import dev.meerkat.protocol.record.*;
import dev.meerkat.server.auth.AclChecker;
import dev.meerkat.server.net.ClientConnection;
import dev.meerkat.server.tree.DataNode;
import dev.meerkat.server.tree.DataTree;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Requests answered from the tree without a txn: reads, watch registration and removal,
 * setWatches, whoAmI. The order of the checks follows ZooKeeper's FinalRequestProcessor, which is
 * what decides the error a client sees when several apply.
 */
final class ReadOps {
    record Result(Code code, Record body) {
        static Result ok(Record body) {
            return new Result(Code.OK, body);
        }

        static Result error(Code code) {
            return new Result(code, null);
        }
    }

    private final DataTree tree;
    private final AclChecker acl;

    ReadOps(DataTree tree, AclChecker acl) {
        this.tree = tree;
        this.acl = acl;
    }

    Result read(ClientConnection c, int type, Record body) {
        return switch (type) {
            case OpCode.EXISTS -> exists(c, (ExistsRequest) body);
            case OpCode.GET_DATA -> {
                GetDataRequest q = (GetDataRequest) body;
                yield getData(c, q.path(), q.watch());
            }
            case OpCode.GET_CHILDREN -> {
                GetChildrenRequest q = (GetChildrenRequest) body;
                yield getChildren(c, q.path(), q.watch(), false);
            }
            case OpCode.GET_CHILDREN2 -> {
                GetChildren2Request q = (GetChildren2Request) body;
                yield getChildren(c, q.path(), q.watch(), true);
            }
            case OpCode.GET_ACL -> getAcl(c, ((GetACLRequest) body).path());
            case OpCode.GET_ALL_CHILDREN_NUMBER -> allChildrenNumber(c, ((GetAllChildrenNumberRequest) body).path());
            case OpCode.GET_EPHEMERALS -> ephemerals(c, ((GetEphemeralsRequest) body).prefixPath());
            case OpCode.SYNC -> Result.ok(new SyncResponse(((SyncRequest) body).path()));
            case OpCode.ADD_WATCH -> addWatch(c, (AddWatchRequest) body);
            case OpCode.CHECK_WATCHES -> {
                CheckWatchesRequest q = (CheckWatchesRequest) body;
                yield watchKnown(q.type()) && q.path() != null && tree.containsWatch(q.path(), q.type(), c)
                        ? Result.ok(null) : Result.error(Code.NOWATCHER);
            }
            case OpCode.REMOVE_WATCHES -> {
                RemoveWatchesRequest q = (RemoveWatchesRequest) body;
                yield watchKnown(q.type()) && q.path() != null && tree.removeWatch(q.path(), q.type(), c)
                        ? Result.ok(null) : Result.error(Code.NOWATCHER);
            }
            case OpCode.SET_WATCHES -> {
                SetWatches q = (SetWatches) body;
                tree.setWatches(q.relativeZxid(), q.dataWatches(), q.existWatches(), q.childWatches(),
                        null, null, c);
                yield Result.ok(null);
            }
            case OpCode.SET_WATCHES2 -> {
                SetWatches2 q = (SetWatches2) body;
                tree.setWatches(q.relativeZxid(), q.dataWatches(), q.existWatches(), q.childWatches(),
                        q.persistentWatches(), q.persistentRecursiveWatches(), c);
                yield Result.ok(null);
            }
            case OpCode.WHO_AM_I -> Result.ok(new WhoAmIResponse(whoAmI(c.authInfo())));
            case OpCode.MULTI_READ -> multiRead(c, (MultiOperationRecord) body);
            default -> Result.error(Code.UNIMPLEMENTED);
        };
    }

    private Result exists(ClientConnection c, ExistsRequest q) {
        String path = q.path();
        if (path == null || path.indexOf('\0') >= 0) {
            return Result.error(Code.BADARGUMENTS);
        }
        DataNode n = tree.getNode(path);
        if (n != null && !acl.check(n.acl(), Perms.READ, c.authInfo())) {
            return Result.error(Code.NOAUTH);
        }
        // An exists watch is set even on a missing node: that is how NodeCreated is awaited.
        if (q.watch()) {
            tree.addDataWatch(path, c);
        }
        return n == null ? Result.error(Code.NONODE) : Result.ok(new ExistsResponse(n.stat()));
    }

    /** NONODE, then NOAUTH without READ: the order of ZooKeeper's reads (no watch is set on either). */
    private Code readable(ClientConnection c, DataNode n) {
        if (n == null) {
            return Code.NONODE;
        }
        return acl.check(n.acl(), Perms.READ, c.authInfo()) ? Code.OK : Code.NOAUTH;
    }

    private DataNode node(String path) {
        return path == null ? null : tree.getNode(path);
    }

    private Result getData(ClientConnection c, String path, boolean watch) {
        DataNode n = node(path);
        Code check = readable(c, n);
        if (check != Code.OK) {
            return Result.error(check);
        }
        if (watch) {
            tree.addDataWatch(path, c);
        }
        return Result.ok(new GetDataResponse(n.data(), n.stat()));
    }

    private Result getChildren(ClientConnection c, String path, boolean watch, boolean withStat) {
        DataNode n = node(path);
        Code check = readable(c, n);
        if (check != Code.OK) {
            return Result.error(check);
        }
        if (watch) {
            tree.addChildWatch(path, c);
        }
        List<String> children = new ArrayList<>(n.children());
        return Result.ok(withStat ? new GetChildren2Response(children, n.stat()) : new GetChildrenResponse(children));
    }

    private Result getAcl(ClientConnection c, String path) {
        DataNode n = node(path);
        if (n == null) {
            return Result.error(Code.NONODE);
        }
        boolean admin = acl.check(n.acl(), Perms.ADMIN, c.authInfo());
        if (!admin && !acl.check(n.acl(), Perms.READ, c.authInfo())) {
            return Result.error(Code.NOAUTH);
        }
        List<ACL> list = admin ? n.acl() : AclChecker.maskDigests(n.acl());
        return Result.ok(new GetACLResponse(list, n.stat()));
    }

    private Result allChildrenNumber(ClientConnection c, String path) {
        Code check = readable(c, node(path));
        if (check != Code.OK) {
            return Result.error(check);
        }
        return Result.ok(new GetAllChildrenNumberResponse(tree.countDescendants(path)));
    }

    private Result ephemerals(ClientConnection c, String prefix) {
        boolean all = prefix == null || prefix.isEmpty() || prefix.equals("/");
        List<String> out = new ArrayList<>();
        for (String p : new TreeSet<>(tree.getEphemerals(c.sessionId()))) {
            if (all || p.startsWith(prefix)) {
                out.add(p);
            }
        }
        return Result.ok(new GetEphemeralsResponse(out));
    }

    private Result addWatch(ClientConnection c, AddWatchRequest q) {
        if (q.path() == null || (q.mode() != 0 && q.mode() != 1)) {
            return Result.error(Code.BADARGUMENTS);
        }
        tree.addPersistentWatch(q.path(), c, q.mode() == 1);
        return Result.ok(new ErrorResponse(0));
    }

    private Result multiRead(ClientConnection c, MultiOperationRecord multi) {
        List<MultiResponse.Result> results = new ArrayList<>();
        for (MultiOperationRecord.Op op : multi.ops()) {
            if (op.type() != OpCode.GET_DATA && op.type() != OpCode.GET_CHILDREN) {
                return Result.error(Code.MARSHALLINGERROR);
            }
        }
        for (MultiOperationRecord.Op op : multi.ops()) {
            // The watch flag of an op inside multiRead is ignored, as in ZooKeeper.
            Result r = op.type() == OpCode.GET_DATA
                    ? getData(c, ((GetDataRequest) op.request()).path(), false)
                    : getChildren(c, ((GetChildrenRequest) op.request()).path(), false, false);
            results.add(r.code() == Code.OK ? MultiResponse.Result.ok(op.type(), r.body())
                    : MultiResponse.Result.error(r.code().intValue()));
        }
        return Result.ok(new MultiResponse(results));
    }

    private static boolean watchKnown(int type) {
        return type >= WatcherType.CHILDREN && type <= WatcherType.PERSISTENT_RECURSIVE;
    }

    static List<ClientInfo> whoAmI(List<Id> identities) {
        List<ClientInfo> out = new ArrayList<>(identities.size());
        for (Id id : identities) {
            String user = id.id();
            if ("digest".equals(id.scheme())) {
                int colon = user.indexOf(':');
                user = colon < 0 ? user : user.substring(0, colon);
            }
            out.add(new ClientInfo(id.scheme(), user));
        }
        return out;
    }
}
