package dev.meerkat.client;

import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.CreateMode;
import dev.meerkat.protocol.Perms;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.protocol.record.ClientInfo;
import dev.meerkat.protocol.record.Id;
import dev.meerkat.protocol.record.Stat;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every operation, its result and its error codes, against both servers. */
class CoreOpsTest extends ServerTestBase {

    @Test
    void createReturnsThePathAndTheNewNodesStat() throws Exception {
        MeerkatClient c = connect();

        Created created = await(c.create(p("a"), bytes("hello"), CreateMode.PERSISTENT));

        assertThat(created.path()).isEqualTo(p("a"));
        Stat stat = created.stat();
        assertThat(stat.version()).isZero();
        assertThat(stat.dataLength()).isEqualTo(5);
        assertThat(stat.czxid()).isPositive().isEqualTo(stat.mzxid()).isEqualTo(stat.pzxid());
        assertThat(stat.ephemeralOwner()).isZero();
        assertThat(c.lastZxid()).isGreaterThanOrEqualTo(stat.czxid());
    }

    @Test
    void everyCreateModeMakesItsKindOfNode() throws Exception {
        MeerkatClient c = connect();

        Created ephemeral = await(c.create(p("e"), null, CreateMode.EPHEMERAL));
        Created seq = await(c.create(p("s-"), null, CreateMode.PERSISTENT_SEQUENTIAL));
        Created ephSeq = await(c.create(p("es-"), null, CreateMode.EPHEMERAL_SEQUENTIAL));
        Created container = await(c.create(p("c"), null, CreateMode.CONTAINER));
        Created ttl = await(c.create(p("ttl"), null, ACL.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, 60_000));
        Created ttlSeq = await(c.create(p("ttls-"), null, ACL.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, 60_000));
        await(c.create(p("dir"), null, CreateMode.PERSISTENT));
        Created trailingSlash = await(c.create(p("dir") + "/", null, CreateMode.PERSISTENT_SEQUENTIAL));

        assertThat(ephemeral.stat().ephemeralOwner()).isEqualTo(c.sessionId());
        assertThat(seq.path()).matches(p("s-") + "\\d{10}");
        assertThat(ephSeq.path()).matches(p("es-") + "\\d{10}");
        assertThat(ephSeq.stat().ephemeralOwner()).isEqualTo(c.sessionId());
        // containers and TTL nodes report no owner, though the server marks them internally
        assertThat(container.stat().ephemeralOwner()).isZero();
        assertThat(ttl.stat().ephemeralOwner()).isZero();
        assertThat(ttlSeq.path()).matches(p("ttls-") + "\\d{10}");
        assertThat(trailingSlash.path()).isEqualTo(p("dir") + "/0000000000");
    }

    @Test
    void createFailsWithTheServersCodesAndThePath() throws Exception {
        MeerkatClient c = connect();
        await(c.create(p("x"), null, CreateMode.PERSISTENT));
        await(c.create(p("eph"), null, CreateMode.EPHEMERAL));

        MeerkatException exists = failure(c.create(p("x"), null, CreateMode.PERSISTENT));
        MeerkatException noParent = failure(c.create(p("missing/child"), null, CreateMode.PERSISTENT));
        MeerkatException underEphemeral = failure(c.create(p("eph/child"), null, CreateMode.PERSISTENT));
        MeerkatException emptyAcl = failure(c.create(p("y"), null, List.of(), CreateMode.PERSISTENT));

        assertThat(exists).isInstanceOf(MeerkatException.NodeExists.class);
        assertThat(exists.code()).isEqualTo(Code.NODEEXISTS);
        assertThat(exists.path()).isEqualTo(p("x"));
        assertThat(exists).hasMessage("KeeperErrorCode = NodeExists for " + p("x"));
        assertThat(noParent).isInstanceOf(MeerkatException.NoNode.class);
        assertThat(noParent.path()).isEqualTo(p("missing/child"));
        assertThat(underEphemeral.code()).isEqualTo(Code.NOCHILDRENFOREPHEMERALS);
        assertThat(emptyAcl.code()).isEqualTo(Code.INVALIDACL);
    }

    @Test
    void badArgumentsFailTheFutureBeforeAnythingIsSent() throws Exception {
        MeerkatClient c = connect();

        assertThat(c.getData("no-slash")).failsWithin(java.time.Duration.ZERO)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(IllegalArgumentException.class);
        assertThat(c.create(p("a/"), null, CreateMode.PERSISTENT)).isCompletedExceptionally();
        assertThat(c.create(p("a"), null, ACL.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, 1000))
                .isCompletedExceptionally();
        assertThat(c.create(p("a"), null, ACL.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, 0))
                .isCompletedExceptionally();
        assertThat(failure(c.delete("/")).code()).isEqualTo(Code.BADARGUMENTS);
        assertThat(await(c.exists(p("a")))).isEmpty();
    }

    @Test
    void deleteHonoursVersionsAndReportsWhyNot() throws Exception {
        MeerkatClient c = connect();
        await(c.create(p("n"), null, CreateMode.PERSISTENT));
        await(c.create(p("n/child"), null, CreateMode.PERSISTENT));

        assertThat(failure(c.delete(p("n"), 5))).isInstanceOf(MeerkatException.BadVersion.class);
        assertThat(failure(c.delete(p("n")))).isInstanceOf(MeerkatException.NotEmpty.class);
        assertThat(failure(c.delete(p("nope")))).isInstanceOf(MeerkatException.NoNode.class);
        await(c.delete(p("n/child"), 0));
        await(c.delete(p("n")));

        assertThat(await(c.exists(p("n")))).isEmpty();
    }

    @Test
    void existsGivesTheStatOrNothing() throws Exception {
        MeerkatClient c = connect();
        Created created = await(c.create(p("n"), bytes("abc"), CreateMode.PERSISTENT));

        Optional<Stat> present = await(c.exists(p("n")));
        Optional<Stat> absent = await(c.exists(p("nope")));

        assertThat(present).contains(created.stat());
        assertThat(absent).isEmpty();
    }

    @Test
    void getDataAndSetData() throws Exception {
        MeerkatClient c = connect();
        await(c.create(p("n"), bytes("v0"), CreateMode.PERSISTENT));
        await(c.create(p("null"), null, CreateMode.PERSISTENT));

        Stat afterSet = await(c.setData(p("n"), bytes("v1"), 0));
        NodeData data = await(c.getData(p("n")));
        Stat unconditional = await(c.setData(p("n"), bytes("v2")));

        assertThat(afterSet.version()).isEqualTo(1);
        assertThat(string(data.data())).isEqualTo("v1");
        assertThat(data.stat()).isEqualTo(afterSet);
        assertThat(unconditional.version()).isEqualTo(2);
        assertThat(await(c.getData(p("null"))).data()).isNull();
        assertThat(failure(c.setData(p("n"), bytes("x"), 0))).isInstanceOf(MeerkatException.BadVersion.class);
        assertThat(failure(c.setData(p("nope"), bytes("x")))).isInstanceOf(MeerkatException.NoNode.class);
        assertThat(failure(c.getData(p("nope"))).path()).isEqualTo(p("nope"));
    }

    @Test
    void aclsAreReadSetAndEnforced() throws Exception {
        MeerkatClient c = connect();
        await(c.create(p("n"), null, CreateMode.PERSISTENT));

        NodeAcl open = await(c.getACL(p("n")));
        Stat changed = await(c.setACL(p("n"), ACL.READ_ACL_UNSAFE, 0));

        assertThat(open.acl()).containsExactly(new ACL(Perms.ALL, Id.ANYONE));
        assertThat(changed.aversion()).isEqualTo(1);
        assertThat(await(c.getACL(p("n"))).acl()).containsExactly(new ACL(Perms.READ, Id.ANYONE));
        assertThat(failure(c.setACL(p("n"), ACL.OPEN_ACL_UNSAFE, 0))).isInstanceOf(MeerkatException.NoAuth.class);
        assertThat(failure(c.setData(p("n"), bytes("x")))).isInstanceOf(MeerkatException.NoAuth.class);
        assertThat(failure(c.setACL(p("nope"), ACL.OPEN_ACL_UNSAFE, -1)).code()).isEqualTo(Code.NONODE);
        assertThat(failure(c.getACL(p("nope"))).code()).isEqualTo(Code.NONODE);
    }

    @Test
    void childrenWithAndWithoutStat() throws Exception {
        MeerkatClient c = connect();
        await(c.create(p("n"), null, CreateMode.PERSISTENT));
        for (String child : List.of("b", "a", "c")) {
            await(c.create(p("n/" + child), null, CreateMode.PERSISTENT));
        }

        List<String> names = await(c.getChildren(p("n")));
        Children withStat = await(c.getChildrenWithStat(p("n")));

        assertThat(names).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(withStat.names()).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(withStat.stat().numChildren()).isEqualTo(3);
        assertThat(await(c.getChildren(p("n/a")))).isEmpty();
        assertThat(failure(c.getChildren(p("nope")))).isInstanceOf(MeerkatException.NoNode.class);
        assertThat(failure(c.getChildrenWithStat(p("nope")))).isInstanceOf(MeerkatException.NoNode.class);
    }

    @Test
    void syncEphemeralsAndDescendantCount() throws Exception {
        MeerkatClient c = connect();
        await(c.create(p("n"), null, CreateMode.PERSISTENT));
        await(c.create(p("n/e1"), null, CreateMode.EPHEMERAL));
        await(c.create(p("n/p"), null, CreateMode.PERSISTENT));
        await(c.create(p("n/p/e2"), null, CreateMode.EPHEMERAL));
        await(c.create(p("other"), null, CreateMode.EPHEMERAL));

        await(c.sync(p("n")));
        List<String> all = await(c.getEphemerals());
        List<String> underN = await(c.getEphemerals(p("n")));
        int descendants = await(c.getAllChildrenNumber(p("n")));

        assertThat(all).containsExactlyInAnyOrder(p("n/e1"), p("n/p/e2"), p("other"));
        assertThat(underN).containsExactlyInAnyOrder(p("n/e1"), p("n/p/e2"));
        assertThat(descendants).isEqualTo(3);
        assertThat(failure(c.getAllChildrenNumber(p("nope")))).isInstanceOf(MeerkatException.NoNode.class);
    }

    @Test
    void whoAmIAndDigestAuthentication() throws Exception {
        MeerkatClient alice = connect();
        MeerkatClient stranger = connect();

        await(alice.addAuthInfo("digest", bytes("alice:secret")));
        await(alice.create(p("private"), bytes("mine"), ACL.CREATOR_ALL_ACL, CreateMode.PERSISTENT));
        List<ClientInfo> identities = await(alice.whoAmI());

        assertThat(identities).contains(new ClientInfo("ip", "127.0.0.1"), new ClientInfo("digest", "alice"));
        assertThat(string(await(alice.getData(p("private"))).data())).isEqualTo("mine");
        assertThat(failure(stranger.getData(p("private")))).isInstanceOf(MeerkatException.NoAuth.class);
        assertThat(await(stranger.whoAmI())).containsExactly(new ClientInfo("ip", "127.0.0.1"));
    }

    @Test
    void refusedCredentialsFailTheCallAndTheClientCarriesOnWithoutThem() throws Exception {
        StateRecorder states = new StateRecorder();
        MeerkatClient c = connect(b -> b.connectionStateListener(states));

        MeerkatException refused = failure(c.addAuthInfo("no-such-scheme", bytes("x")));

        assertThat(refused).isInstanceOf(MeerkatException.AuthFailed.class);
        // the server closes the connection after AUTHFAILED; the session survives it
        states.await(ConnectionState.RECONNECTED);
        assertThat(await(c.create(p("after"), null, CreateMode.PERSISTENT)).path()).isEqualTo(p("after"));
    }

    @Test
    void pipelinedRequestsAreAnsweredInTheOrderTheyWereMade() throws Exception {
        MeerkatClient c = connect();
        await(c.create(p("n"), null, CreateMode.PERSISTENT));
        List<CompletableFuture<?>> futures = new ArrayList<>();
        List<Integer> completionOrder = new ArrayList<>();

        for (int i = 0; i < 200; i++) {
            int index = i;
            CompletableFuture<?> f = i % 2 == 0
                    ? c.create(p("n/s-"), null, CreateMode.PERSISTENT_SEQUENTIAL)
                    : c.setData(p("n"), bytes(Integer.toString(i)));
            // callbacks run on the one event thread, so this list needs no lock
            futures.add(f.thenRun(() -> completionOrder.add(index)));
        }
        await(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)));

        assertThat(completionOrder).isSorted().hasSize(200);
        assertThat(await(c.getChildren(p("n")))).hasSize(100);
        assertThat(await(c.getData(p("n"))).stat().version()).isEqualTo(100);
    }

    @Test
    void sequentialCreatesPipelinedGetIncreasingNumbersInCallOrder() throws Exception {
        MeerkatClient c = connect();
        await(c.create(p("q"), null, CreateMode.PERSISTENT));
        List<CompletableFuture<Created>> creates = new ArrayList<>();

        for (int i = 0; i < 50; i++) {
            creates.add(c.create(p("q/item-"), null, CreateMode.PERSISTENT_SEQUENTIAL));
        }

        List<String> paths = new ArrayList<>();
        for (CompletableFuture<Created> f : creates) {
            paths.add(await(f).path());
        }
        assertThat(paths).isSorted().doesNotHaveDuplicates();
        assertThat(paths.get(0)).isEqualTo(p("q/item-0000000000"));
    }

    @Test
    void theBlockingFacadeThrowsTheOperationsException() throws Exception {
        BlockingMeerkat sync = connect().sync();

        Created created = sync.create(p("b"), bytes("x"), CreateMode.PERSISTENT);

        assertThat(string(sync.getData(created.path()).data())).isEqualTo("x");
        assertThatThrownBy(() -> sync.getData(p("nope")))
                .isInstanceOf(MeerkatException.NoNode.class)
                .hasMessage("KeeperErrorCode = NoNode for " + p("nope"));
        assertThatThrownBy(() -> sync.getData("bad")).isInstanceOf(IllegalArgumentException.class);
        assertThat(sync.exists(p("b"))).isPresent();
        sync.delete(p("b"));
        assertThat(sync.exists(p("b"))).isEmpty();
    }
}
