package dev.meerkat.server.compat;

import org.apache.jute.Record;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.DeleteContainerRequest;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.proto.AddWatchRequest;
import org.apache.zookeeper.proto.CheckWatchesRequest;
import org.apache.zookeeper.proto.Create2Response;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.CreateTTLRequest;
import org.apache.zookeeper.proto.GetDataRequest;
import org.apache.zookeeper.proto.RemoveWatchesRequest;
import org.apache.zookeeper.proto.SetDataRequest;
import org.apache.zookeeper.proto.SyncRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests the official client refuses to send (it validates paths, flags, TTLs and ACL lists
 * itself), sent by hand, so that the server's own checks and their order are compared.
 */
class RawRequestCompatTest extends CompatTestBase {
    private static final List<ACL> OPEN = Ids.OPEN_ACL_UNSAFE;
    private static final long MAX_TTL = (1L << 40) - 1;

    private RawSession raw;

    @BeforeEach
    void openRawSession() {
        raw = rawSession(SESSION_TIMEOUT_MS);
    }

    private Code code(int opCode, Record request) {
        return Code.get(raw.call(opCode, request).err());
    }

    private Code create(String path, List<ACL> acl, int flags) {
        return code(OpCode.create, new CreateRequest(path, null, acl, flags));
    }

    private Code createTtl(String path, int flags, long ttl) {
        return code(OpCode.createTTL, new CreateTTLRequest(path, null, OPEN, flags, ttl));
    }

    @Test
    void unknownCreateFlagsAreBadArguments() {
        assertThat(create("/f", OPEN, 7)).isEqualTo(Code.BADARGUMENTS);
        assertThat(create("/f", OPEN, -1)).isEqualTo(Code.BADARGUMENTS);
        assertThat(create("/missing/f", List.of(), 99)).as("flags are checked first").isEqualTo(Code.BADARGUMENTS);
    }

    @Test
    void ttlModesNeedCreateTtlAndAPositiveTtl() {
        int ttlMode = CreateMode.PERSISTENT_WITH_TTL.toFlag();
        assertThat(create("/t", OPEN, ttlMode)).isEqualTo(Code.BADARGUMENTS);
        assertThat(code(OpCode.create2, new CreateRequest("/t", null, OPEN, ttlMode))).isEqualTo(Code.BADARGUMENTS);
        assertThat(createTtl("/t", ttlMode, 0)).isEqualTo(Code.BADARGUMENTS);
        assertThat(createTtl("/t", ttlMode, -5)).isEqualTo(Code.BADARGUMENTS);
        assertThat(createTtl("/t", ttlMode, MAX_TTL + 1)).isEqualTo(Code.BADARGUMENTS);
        assertThat(createTtl("/t", ttlMode, MAX_TTL)).isEqualTo(Code.OK);
    }

    @Test
    void createTtlWithANonTtlModeAndATtlIsBadArguments() {
        // (With a negative ttl ZooKeeper 3.9.5 accepts the request and then never answers it.)
        assertThat(createTtl("/p", CreateMode.PERSISTENT.toFlag(), 1000)).isEqualTo(Code.BADARGUMENTS);
        assertThat(createTtl("/p", CreateMode.EPHEMERAL.toFlag(), 0)).isEqualTo(Code.BADARGUMENTS);
        assertThat(createTtl("/p", CreateMode.CONTAINER.toFlag(), 1)).isEqualTo(Code.BADARGUMENTS);
    }

    @Test
    void createTtlAnswersWithThePathAndStat() {
        RawSession.Reply reply = raw.call(OpCode.createTTL,
                new CreateTTLRequest("/t", bytes("x"), OPEN, CreateMode.PERSISTENT_WITH_TTL.toFlag(), 5000));

        assertThat(reply.err()).isZero();
        Create2Response created = reply.read(new Create2Response());
        assertThat(created.getPath()).isEqualTo("/t");
        assertThat(created.getStat().getEphemeralOwner()).isZero();
        assertThat(created.getStat().getDataLength()).isEqualTo(1);
    }

    @Test
    void malformedPathsAreBadArguments() {
        assertThat(create("/p", OPEN, 0)).isEqualTo(Code.OK);
        for (String path : List.of("relative", "/p/.", "/p/..", "/p/", "/nul\u0000", "/missing/nul\u0000",
                "/p/bad\u0001char")) {
            assertThat(create(path, OPEN, 0)).as(path).isEqualTo(Code.BADARGUMENTS);
        }
        assertThat(code(OpCode.setData, new SetDataRequest("relative", null, -1))).isEqualTo(Code.BADARGUMENTS);
    }

    @Test
    void theParentIsLookedUpBeforeTheFullPathIsValidated() {
        // "/a//b" has the parent "/a/", which cannot exist.
        assertThat(create("/a//b", OPEN, 0)).isEqualTo(Code.NONODE);
        assertThat(create("/missing/", OPEN, 0)).isEqualTo(Code.NONODE);
        assertThat(create("/p", OPEN, 0)).isEqualTo(Code.OK);
        assertThat(create("/p//", OPEN, 0)).isEqualTo(Code.NONODE);
    }

    @Test
    void emptyOrNullAclListsAreInvalidAcl() {
        assertThat(create("/n", List.of(), 0)).isEqualTo(Code.INVALIDACL);
        assertThat(create("/n", null, 0)).isEqualTo(Code.INVALIDACL);
        assertThat(create("/missing/n", List.of(), 0)).as("ACL before parent").isEqualTo(Code.INVALIDACL);
        assertThat(create("/n", List.of(new ACL(31, new Id("world", "anyone"))), 0)).isEqualTo(Code.OK);
    }

    @Test
    void deleteContainerRemovesAnEmptyContainer() {
        assertThat(code(OpCode.createContainer, new CreateRequest("/c", null, OPEN, CreateMode.CONTAINER.toFlag())))
                .isEqualTo(Code.OK);

        assertThat(code(OpCode.deleteContainer, new DeleteContainerRequest("/c"))).isEqualTo(Code.OK);
        assertThat(code(OpCode.deleteContainer, new DeleteContainerRequest("/c"))).isEqualTo(Code.NONODE);
    }

    @Test
    void deleteContainerRefusesNonEmptyNodesAndEphemerals() {
        code(OpCode.createContainer, new CreateRequest("/c", null, OPEN, CreateMode.CONTAINER.toFlag()));
        create("/c/kid", OPEN, 0);
        create("/e", OPEN, CreateMode.EPHEMERAL.toFlag());

        assertThat(code(OpCode.deleteContainer, new DeleteContainerRequest("/c"))).isEqualTo(Code.NOTEMPTY);
        assertThat(code(OpCode.deleteContainer, new DeleteContainerRequest("/e"))).isEqualTo(Code.BADVERSION);
    }

    @Test
    void addWatchAnswersWithAnEmptyErrorResponse() {
        RawSession.Reply reply = raw.call(OpCode.addWatch, new AddWatchRequest("/anything", 1));

        assertThat(reply.err()).isZero();
        assertThat(reply.body()).containsExactly(0, 0, 0, 0);
    }

    @Test
    void checkWatchesTellsWatchModesApart() throws Exception {
        int children = 1;
        int data = 2;
        int persistent = 4;
        int recursive = 5;
        ZooKeeper zk = connect();
        zk.create("/p", null, OPEN, CreateMode.PERSISTENT);
        raw.call(OpCode.addWatch, new AddWatchRequest("/p", 0));
        raw.call(OpCode.addWatch, new AddWatchRequest("/r", 1));

        assertThat(code(OpCode.checkWatches, new CheckWatchesRequest("/p", persistent))).isEqualTo(Code.OK);
        assertThat(code(OpCode.checkWatches, new CheckWatchesRequest("/p", data))).isEqualTo(Code.NOWATCHER);
        assertThat(code(OpCode.checkWatches, new CheckWatchesRequest("/p", children))).isEqualTo(Code.NOWATCHER);
        assertThat(code(OpCode.checkWatches, new CheckWatchesRequest("/p", recursive))).isEqualTo(Code.NOWATCHER);
        assertThat(code(OpCode.checkWatches, new CheckWatchesRequest("/r", recursive))).isEqualTo(Code.OK);
        assertThat(code(OpCode.checkWatches, new CheckWatchesRequest("/r", persistent))).isEqualTo(Code.NOWATCHER);

        raw.call(OpCode.getData, new GetDataRequest("/p", true));
        assertThat(code(OpCode.checkWatches, new CheckWatchesRequest("/p", data))).isEqualTo(Code.OK);
        assertThat(code(OpCode.removeWatches, new RemoveWatchesRequest("/p", data))).isEqualTo(Code.OK);
        assertThat(code(OpCode.checkWatches, new CheckWatchesRequest("/p", data))).isEqualTo(Code.NOWATCHER);
        assertThat(code(OpCode.checkWatches, new CheckWatchesRequest("/p", persistent))).isEqualTo(Code.OK);

        zk.setData("/p", bytes("x"), -1);
        assertThat(raw.call(OpCode.sync, new SyncRequest("/")).eventsBefore())
                .extracting(RawSession.Notification::describe).containsExactly("NodeDataChanged /p");
    }
}
