package dev.meerkat.client;

import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.CreateMode;
import dev.meerkat.protocol.record.ACL;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** multi through the transaction builder, and multiRead. */
class TransactionTest extends ServerTestBase {

    @Test
    void aTransactionAppliesEveryOperationAndReportsEachResult() throws Exception {
        MeerkatClient c = connect();
        await(c.create(p("old"), null, CreateMode.PERSISTENT));
        await(c.create(p("config"), bytes("v0"), CreateMode.PERSISTENT));

        List<OpResult> results = await(c.transaction()
                .create(p("dir"), null, CreateMode.PERSISTENT)
                .create(p("dir/seq-"), bytes("s"), CreateMode.PERSISTENT_SEQUENTIAL)
                .check(p("config"), 0)
                .setData(p("config"), bytes("v1"), 0)
                .delete(p("old"), -1)
                .create(p("box"), null, ACL.OPEN_ACL_UNSAFE, CreateMode.CONTAINER)
                .create(p("ttl"), null, ACL.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, 60_000)
                .commit());

        assertThat(results).hasSize(7);
        OpResult.CreateResult dir = (OpResult.CreateResult) results.get(0);
        OpResult.CreateResult seq = (OpResult.CreateResult) results.get(1);
        OpResult.SetDataResult set = (OpResult.SetDataResult) results.get(3);
        assertThat(dir.path()).isEqualTo(p("dir"));
        assertThat(seq.path()).isEqualTo(p("dir/seq-0000000000"));
        // one transaction, one zxid
        assertThat(seq.stat().czxid()).isEqualTo(dir.stat().czxid()).isEqualTo(set.stat().mzxid());
        assertThat(results.get(2)).isInstanceOf(OpResult.CheckResult.class);
        assertThat(set.stat().version()).isEqualTo(1);
        assertThat(results.get(4)).isInstanceOf(OpResult.DeleteResult.class);
        assertThat(((OpResult.CreateResult) results.get(5)).path()).isEqualTo(p("box"));
        assertThat(((OpResult.CreateResult) results.get(6)).path()).isEqualTo(p("ttl"));
        assertThat(await(c.exists(p("old")))).isEmpty();
        assertThat(string(await(c.getData(p("config"))).data())).isEqualTo("v1");
    }

    @Test
    void aFailedTransactionAppliesNothingAndSaysWhichOperationFailed() throws Exception {
        MeerkatClient c = connect();
        await(c.create(p("config"), bytes("v0"), CreateMode.PERSISTENT));

        MeerkatException e = failure(c.transaction()
                .create(p("new"), null, CreateMode.PERSISTENT)
                .setData(p("config"), bytes("v1"), -1)
                .check(p("config"), 7)
                .delete(p("config"), -1)
                .create(p("other"), null, CreateMode.PERSISTENT)
                .commit());

        assertThat(e).isInstanceOf(MeerkatException.BadVersion.class);
        assertThat(e.path()).isEqualTo(p("config"));
        assertThat(e.results()).containsExactly(
                new OpResult.ErrorResult(Code.OK),
                new OpResult.ErrorResult(Code.OK),
                new OpResult.ErrorResult(Code.BADVERSION),
                new OpResult.ErrorResult(Code.RUNTIMEINCONSISTENCY),
                new OpResult.ErrorResult(Code.RUNTIMEINCONSISTENCY));
        assertThat(await(c.exists(p("new")))).isEmpty();
        assertThat(string(await(c.getData(p("config"))).data())).isEqualTo("v0");
    }

    @Test
    void theFirstFailureNamesTheException() throws Exception {
        MeerkatClient c = connect();

        MeerkatException e = failure(c.transaction()
                .create(p("a/b"), null, CreateMode.PERSISTENT)
                .create(p("c"), null, CreateMode.PERSISTENT)
                .commit());

        assertThat(e).isInstanceOf(MeerkatException.NoNode.class);
        assertThat(e.path()).isEqualTo(p("a/b"));
        assertThat(e.results()).containsExactly(new OpResult.ErrorResult(Code.NONODE),
                new OpResult.ErrorResult(Code.RUNTIMEINCONSISTENCY));
    }

    @Test
    void anEmptyTransactionNeedsNoServer() throws Exception {
        MeerkatClient c = connect();

        assertThat(await(c.transaction().commit())).isEmpty();
        assertThat(await(c.readTransaction().commit())).isEmpty();
        assertThat(c.sync().commit(c.transaction())).isEmpty();
    }

    @Test
    void invalidOperationsAreRefusedWhenAdded() throws Exception {
        MeerkatClient c = connect();
        Transaction t = c.transaction();

        assertThatThrownBy(() -> t.create("relative", null, CreateMode.PERSISTENT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.create(p("t"), null, ACL.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.delete(p("x/"), -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(t.size()).isZero();
    }

    @Test
    void readTransactionsAnswerEachReadOnItsOwn() throws Exception {
        MeerkatClient c = connect();
        await(c.create(p("n"), bytes("data"), CreateMode.PERSISTENT));
        await(c.create(p("n/kid"), null, CreateMode.PERSISTENT));

        List<OpResult> results = await(c.readTransaction()
                .getData(p("n"))
                .getChildren(p("missing"))
                .getChildren(p("n"))
                .getData(p("missing"))
                .commit());

        assertThat(results).hasSize(4);
        OpResult.GetDataResult data = (OpResult.GetDataResult) results.get(0);
        assertThat(string(data.data())).isEqualTo("data");
        assertThat(data.stat().numChildren()).isEqualTo(1);
        assertThat(results.get(1)).isEqualTo(new OpResult.ErrorResult(Code.NONODE));
        assertThat(results.get(2)).isEqualTo(new OpResult.GetChildrenResult(List.of("kid")));
        assertThat(results.get(3)).isEqualTo(new OpResult.ErrorResult(Code.NONODE));
    }

    @Test
    void theBlockingFacadeCommitsToo() throws Exception {
        MeerkatClient c = connect();
        BlockingMeerkat sync = c.sync();

        List<OpResult> ok = sync.commit(c.transaction().create(p("a"), null, CreateMode.PERSISTENT));
        MeerkatException failed = null;
        try {
            sync.commit(c.transaction().create(p("a"), null, CreateMode.PERSISTENT));
        } catch (MeerkatException e) {
            failed = e;
        }

        assertThat(ok).containsExactly(new OpResult.CreateResult(p("a"),
                ((OpResult.CreateResult) ok.get(0)).stat()));
        assertThat(failed).isInstanceOf(MeerkatException.NodeExists.class);
        assertThat(failed.results()).containsExactly(new OpResult.ErrorResult(Code.NODEEXISTS));
        assertThat(sync.commit(c.readTransaction().getChildren(base)))
                .containsExactly(new OpResult.GetChildrenResult(List.of("a")));
    }
}
