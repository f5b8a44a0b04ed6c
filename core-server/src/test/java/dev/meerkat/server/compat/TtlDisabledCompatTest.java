package dev.meerkat.server.compat;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** TTL nodes are an extended type: without zookeeper.extendedTypesEnabled they do not exist. */
class TtlDisabledCompatTest extends CompatTestBase {

    @Override
    ServerOptions serverOptions() {
        return ServerOptions.DEFAULT.withExtendedTypes(false);
    }

    @Test
    void ttlNodesAreUnimplemented() throws Exception {
        ZooKeeper zk = connect();

        assertThat(failure(() -> zk.create("/t", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, null, 1000))
                .code()).isEqualTo(Code.UNIMPLEMENTED);
        assertThat(failure(() -> zk.create("/t-", null, Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, null, 1000)).code()).isEqualTo(Code.UNIMPLEMENTED);
        assertThat(zk.exists("/t", false)).isNull();
    }

    @Test
    void containersNeedNoExtendedTypes() throws Exception {
        ZooKeeper zk = connect();

        assertThat(zk.create("/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER)).isEqualTo("/c");
        assertThat(zk.exists("/c", false).getEphemeralOwner()).isZero();
    }
}
