package dev.meerkat.client;

import dev.meerkat.testkit.TcpProxy;

import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.CreateMode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A chroot in the connect string applies to every path going out and coming back. */
class ChrootTest extends ServerTestBase {

    private MeerkatClient chrooted() throws Exception {
        return connect(server.connectString() + base, b -> { });
    }

    @Test
    void pathsGoOutWithTheChrootAndComeBackWithoutIt() throws Exception {
        MeerkatClient c = chrooted();

        Created created = await(c.create("/a", bytes("x"), CreateMode.PERSISTENT));
        Created seq = await(c.create("/a/s-", null, CreateMode.PERSISTENT_SEQUENTIAL));

        assertThat(created.path()).isEqualTo("/a");
        assertThat(seq.path()).isEqualTo("/a/s-0000000000");
        assertThat(string(await(admin.getData(p("a"))).data())).isEqualTo("x");
        assertThat(await(c.getChildren("/"))).containsExactly("a");
        assertThat(await(c.exists("/")).orElseThrow().numChildren()).isEqualTo(1);
        assertThat(await(c.getAllChildrenNumber("/"))).isEqualTo(2);
        assertThat(c.connectString().chroot()).isEqualTo(base);
    }

    @Test
    void errorsNameTheClientsPath() throws Exception {
        MeerkatClient c = chrooted();

        MeerkatException e = failure(c.getData("/missing"));

        assertThat(e.path()).isEqualTo("/missing");
        // "/" is the chroot node here, and like the real root it is not for deleting
        assertThat(failure(c.delete("/")).code()).isEqualTo(Code.BADARGUMENTS);
        assertThat(await(admin.exists(base))).isPresent();
    }

    @Test
    void watchEventsComeBackWithoutTheChroot() throws Exception {
        MeerkatClient c = chrooted();
        await(c.create("/n", null, CreateMode.PERSISTENT));
        EventRecorder data = new EventRecorder();
        EventRecorder recursive = new EventRecorder();
        EventRecorder children = new EventRecorder();

        await(c.getData("/n", data));
        await(c.addWatch("/", recursive, WatchMode.PERSISTENT_RECURSIVE));
        await(c.getChildren("/", children));
        await(admin.setData(p("n"), bytes("x")));
        await(admin.create(p("m"), null, CreateMode.PERSISTENT));

        assertThat(data.nextDescribed()).isEqualTo("NodeDataChanged /n");
        assertThat(recursive.nextDescribed()).isEqualTo("NodeDataChanged /n");
        assertThat(recursive.nextDescribed()).isEqualTo("NodeCreated /m");
        assertThat(children.nextDescribed()).isEqualTo("NodeChildrenChanged /");
    }

    @Test
    void transactionResultsComeBackWithoutTheChroot() throws Exception {
        MeerkatClient c = chrooted();

        List<OpResult> results = await(c.transaction()
                .create("/t", null, CreateMode.PERSISTENT)
                .create("/t/s-", null, CreateMode.PERSISTENT_SEQUENTIAL)
                .commit());
        MeerkatException failed = failure(c.transaction().create("/t", null, CreateMode.PERSISTENT).commit());

        assertThat(results).extracting(r -> ((OpResult.CreateResult) r).path())
                .containsExactly("/t", "/t/s-0000000000");
        assertThat(failed.path()).isEqualTo("/t");
        assertThat(await(admin.exists(p("t/s-0000000000")))).isPresent();
    }

    @Test
    void ephemeralsAreListedInsideTheChrootOnly() throws Exception {
        // The session makes ephemerals inside the chroot and in a sibling whose name starts with the
        // chroot's (the server matches prefixes as strings), through a client without chroot that
        // is then cut off, so that a chrooted client can take the session over.
        await(admin.create(base + "x", null, CreateMode.PERSISTENT));
        await(admin.create(p("sub"), null, CreateMode.PERSISTENT));
        TcpProxy proxy = proxy();
        MeerkatClient owner = connect(proxy.connectString(), b -> { });
        await(owner.create(base + "x/outside", null, CreateMode.EPHEMERAL));
        await(owner.create(p("inside"), null, CreateMode.EPHEMERAL));
        await(owner.create(p("sub/deeper"), null, CreateMode.EPHEMERAL));
        proxy.refuse(true);
        proxy.cutAll();

        MeerkatClient c = connect(server.connectString() + base,
                b -> b.session(owner.sessionId(), owner.sessionPassword()));

        assertThat(await(c.getEphemerals())).containsExactlyInAnyOrder("/inside", "/sub/deeper");
        assertThat(await(c.getEphemerals("/sub"))).containsExactly("/sub/deeper");
    }

    @Test
    void aChrootOfSlashIsNoChroot() throws Exception {
        MeerkatClient c = connect(server.connectString() + "/", b -> { });

        assertThat(await(c.create(p("plain"), null, CreateMode.PERSISTENT)).path()).isEqualTo(p("plain"));
    }
}
