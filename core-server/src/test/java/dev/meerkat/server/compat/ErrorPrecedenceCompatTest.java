package dev.meerkat.server.compat;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult.ErrorResult;
import org.apache.zookeeper.OpResult.GetChildrenResult;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a request is wrong in more than one way, the server's order of checks decides which error
 * the user sees. These cases each break two rules at once.
 */
class ErrorPrecedenceCompatTest extends CompatTestBase {
    private static final List<ACL> NO_ACCESS = Arrays.asList(new ACL(Perms.ALL, new Id("ip", "10.9.9.9")));
    private static final List<ACL> BAD_ACL = Arrays.asList(new ACL(Perms.ALL, new Id("world", "nobody")));

    private ZooKeeper zk;

    @BeforeEach
    void tree() throws Exception {
        zk = connect();
        zk.create("/locked", null, NO_ACCESS, CreateMode.PERSISTENT);
        zk.create("/open", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/open/kid", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }

    private Code code(ZkCall call) {
        return failure(call).code();
    }

    @Test
    void setDataChecksExistenceThenPermissionThenVersion() {
        assertThat(code(() -> zk.setData("/missing", null, 3))).isEqualTo(Code.NONODE);
        assertThat(code(() -> zk.setData("/locked", null, 3))).isEqualTo(Code.NOAUTH);
    }

    @Test
    void setAclChecksTheAclThenExistenceThenPermissionThenVersion() {
        assertThat(code(() -> zk.setACL("/missing", BAD_ACL, 3))).isEqualTo(Code.INVALIDACL);
        assertThat(code(() -> zk.setACL("/missing", Ids.OPEN_ACL_UNSAFE, 3))).isEqualTo(Code.NONODE);
        assertThat(code(() -> zk.setACL("/locked", Ids.OPEN_ACL_UNSAFE, 3))).isEqualTo(Code.NOAUTH);
        assertThat(code(() -> zk.setACL("/locked", BAD_ACL, -1))).isEqualTo(Code.INVALIDACL);
    }

    @Test
    void deleteChecksTheParentsPermissionBeforeAnythingAboutTheNode() {
        assertThat(code(() -> zk.delete("/locked/missing", 3))).isEqualTo(Code.NOAUTH);
        assertThat(code(() -> zk.delete("/missing/missing", 3))).isEqualTo(Code.NONODE);
        assertThat(code(() -> zk.delete("/open", 3))).isEqualTo(Code.BADVERSION);
    }

    @Test
    void deleteOfABuiltInNodeIsBadArgumentsWhateverTheVersion() {
        assertThat(code(() -> zk.delete("/zookeeper", 42))).isEqualTo(Code.BADARGUMENTS);
    }

    @Test
    void createChecksTheAclThenTheParentThenPermissionThenExistence() {
        assertThat(code(() -> zk.create("/missing/n", null, BAD_ACL, CreateMode.PERSISTENT)))
                .isEqualTo(Code.INVALIDACL);
        assertThat(code(() -> zk.create("/locked/n", null, BAD_ACL, CreateMode.PERSISTENT))).isEqualTo(Code.INVALIDACL);
        assertThat(code(() -> zk.create("/locked/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL)))
                .isEqualTo(Code.NOAUTH);
        assertThat(code(() -> zk.create("/open/kid", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)))
                .isEqualTo(Code.NODEEXISTS);
    }

    @Test
    void readsCheckExistenceBeforePermission() {
        assertThat(code(() -> zk.getData("/locked/missing", false, null))).isEqualTo(Code.NONODE);
        assertThat(code(() -> zk.getData("/locked", false, null))).isEqualTo(Code.NOAUTH);
        assertThat(code(() -> zk.getChildren("/locked", false))).isEqualTo(Code.NOAUTH);
        assertThat(code(() -> zk.getChildren("/locked", false, new Stat()))).isEqualTo(Code.NOAUTH);
        assertThat(code(() -> zk.getAllChildrenNumber("/locked"))).isEqualTo(Code.NOAUTH);
        assertThat(code(() -> zk.getACL("/locked", new Stat()))).isEqualTo(Code.NOAUTH);
        assertThat(code(() -> zk.exists("/locked", false))).isEqualTo(Code.NOAUTH);
    }

    @Test
    void checkInAMultiNeedsReadPermission() {
        var e = failure(() -> zk.multi(List.of(Op.check("/locked", -1), Op.check("/open", 0))));

        assertThat(e.code()).isEqualTo(Code.NOAUTH);
        assertThat(e.getResults()).containsExactly(new ErrorResult(Code.NOAUTH.intValue()),
                new ErrorResult(Code.RUNTIMEINCONSISTENCY.intValue()));
    }

    @Test
    void multiReadReportsNoAuthForTheOneOpOnly() throws Exception {
        var results = zk.multi(List.of(Op.getData("/locked"), Op.getChildren("/open"), Op.getChildren("/locked")));

        assertThat(results.get(0)).isEqualTo(new ErrorResult(Code.NOAUTH.intValue()));
        assertThat(((GetChildrenResult) results.get(1)).getChildren())
                .containsExactly("kid");
        assertThat(results.get(2)).isEqualTo(new ErrorResult(Code.NOAUTH.intValue()));
    }

    @Test
    void watchesAreNotSetWhenTheReadIsRefused() throws Exception {
        ZooKeeper admin = connectAs(ServerOptions.SUPER_CREDENTIALS);
        EventRecorder watcher = new EventRecorder();
        assertThat(code(() -> zk.getData("/locked", watcher, null))).isEqualTo(Code.NOAUTH);
        assertThat(code(() -> zk.exists("/locked", watcher))).isEqualTo(Code.NOAUTH);
        assertThat(code(() -> zk.getChildren("/locked", watcher))).isEqualTo(Code.NOAUTH);

        admin.setACL("/locked", Ids.OPEN_ACL_UNSAFE, -1);
        admin.create("/locked/kid", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        admin.setData("/locked", bytes("x"), -1);

        quiesce(zk);
        watcher.assertNothingMore();
    }
}
