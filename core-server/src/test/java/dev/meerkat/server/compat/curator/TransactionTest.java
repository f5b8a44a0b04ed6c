package dev.meerkat.server.compat.curator;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.curator.framework.api.transaction.OperationType;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** client.transaction(): one multi (op 14), applied whole or not at all. */
class TransactionTest extends CuratorCompatTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aTransactionAppliesAllItsOperationsAtOneZxid() throws Exception {
        String root = unique("tx");
        CuratorFramework client = newClient();
        client.create().forPath(root);
        client.create().forPath(root + "/doomed");

        List<CuratorTransactionResult> results = client.transaction().forOperations(
                client.transactionOp().create().forPath(root + "/a", bytes("1")),
                client.transactionOp().create().withMode(CreateMode.PERSISTENT_SEQUENTIAL).forPath(root + "/seq-"),
                client.transactionOp().setData().forPath(root + "/a", bytes("2")),
                client.transactionOp().check().withVersion(1).forPath(root + "/a"),
                client.transactionOp().delete().forPath(root + "/doomed"));

        assertThat(results).extracting(CuratorTransactionResult::getType).containsExactly(OperationType.CREATE,
                OperationType.CREATE, OperationType.SET_DATA, OperationType.CHECK, OperationType.DELETE);
        assertThat(results.get(0).getResultPath()).isEqualTo(root + "/a");
        assertThat(results.get(1).getResultPath()).matches(root.replace("-", "\\-") + "/seq-\\d{10}");
        Stat setStat = results.get(2).getResultStat();
        assertThat(setStat.getVersion()).isEqualTo(1);
        assertThat(setStat.getCzxid()).as("created and changed by the same txn").isEqualTo(setStat.getMzxid());

        assertThat(client.getData().forPath(root + "/a")).isEqualTo(bytes("2"));
        assertThat(client.checkExists().forPath(root + "/doomed")).isNull();
        assertThat(client.checkExists().forPath(results.get(1).getResultPath())).isNotNull();
    }

    @Test
    void aFailingOperationLeavesEverythingAsItWas() throws Exception {
        String root = unique("tx-fail");
        CuratorFramework client = newClient();
        client.create().forPath(root, bytes("v0"));

        KeeperException failure = catchThrowableOfType(KeeperException.class, () ->
                client.transaction().forOperations(
                        client.transactionOp().create().forPath(root + "/new"),
                        client.transactionOp().setData().forPath(root, bytes("v1")),
                        client.transactionOp().check().withVersion(7).forPath(root),
                        client.transactionOp().delete().forPath(root + "/new")));

        assertThat(failure).isInstanceOf(KeeperException.BadVersionException.class);
        assertThat(failure.getResults()).extracting(r -> ((OpResult.ErrorResult) r).getErr()).containsExactly(
                KeeperException.Code.OK.intValue(), KeeperException.Code.OK.intValue(),
                KeeperException.Code.BADVERSION.intValue(), KeeperException.Code.RUNTIMEINCONSISTENCY.intValue());
        assertThat(client.checkExists().forPath(root + "/new")).isNull();
        assertThat(client.getData().forPath(root)).isEqualTo(bytes("v0"));
        assertThat(client.checkExists().forPath(root).getVersion()).isZero();
    }
}
