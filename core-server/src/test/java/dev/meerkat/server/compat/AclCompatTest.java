package dev.meerkat.server.compat;

import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.ClientInfo;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** ACLs: setACL/getACL, the digest, auth, world and ip schemes, super, and the errors. */
class AclCompatTest extends CompatTestBase {

    private static ACL acl(int perms, String scheme, String id) {
        return new ACL(perms, new Id(scheme, id));
    }

    /** The client asks an ACL list whether it contains null, which List.of answers with an exception. */
    private static List<ACL> acls(ACL... entries) {
        return Arrays.asList(entries);
    }

    private static ACL digest(int perms, String userColonPassword) throws Exception {
        return acl(perms, "digest", DigestAuthenticationProvider.generateDigest(userColonPassword));
    }

    @Test
    void setAclBumpsAversionOnlyAndGetAclReturnsIt() throws Exception {
        ZooKeeper zk = connect();
        Stat created = new Stat();
        zk.create("/n", bytes("x"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, created);
        List<ACL> newAcl = acls(acl(Perms.READ | Perms.ADMIN, "world", "anyone"));

        Stat stat = zk.setACL("/n", newAcl, 0);

        assertThat(stat.getAversion()).isEqualTo(1);
        assertThat(stat.getVersion()).isZero();
        assertThat(stat.getMzxid()).isEqualTo(created.getMzxid());
        Stat read = new Stat();
        assertThat(zk.getACL("/n", read)).isEqualTo(newAcl);
        assertThat(read).isEqualTo(stat);
    }

    @Test
    void setAclWithAStaleAversionIsBadVersion() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.setACL("/n", Ids.OPEN_ACL_UNSAFE, -1);

        assertThat(failure(() -> zk.setACL("/n", Ids.READ_ACL_UNSAFE, 0)).code()).isEqualTo(Code.BADVERSION);
        assertThat(zk.getACL("/n", new Stat())).isEqualTo(Ids.OPEN_ACL_UNSAFE);
    }

    @Test
    void setAclAndGetAclOfAMissingNodeAreNoNode() throws Exception {
        ZooKeeper zk = connect();

        assertThat(failure(() -> zk.setACL("/missing", Ids.OPEN_ACL_UNSAFE, -1)).code()).isEqualTo(Code.NONODE);
        assertThat(failure(() -> zk.getACL("/missing", new Stat())).code()).isEqualTo(Code.NONODE);
    }

    @Test
    void setAclNeedsAdmin() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/n", null, acls(acl(Perms.ALL & ~Perms.ADMIN, "world", "anyone")), CreateMode.PERSISTENT);

        assertThat(failure(() -> zk.setACL("/n", Ids.OPEN_ACL_UNSAFE, -1)).code()).isEqualTo(Code.NOAUTH);
    }

    @Test
    void duplicateEntriesAreStoredOnce() throws Exception {
        ZooKeeper zk = connect();
        ACL read = acl(Perms.READ, "world", "anyone");
        ACL all = acl(Perms.ALL, "world", "anyone");

        zk.create("/n", null, acls(all, read, all), CreateMode.PERSISTENT);

        assertThat(zk.getACL("/n", new Stat())).containsExactly(all, read);
    }

    @Test
    void worldReadOnlyAllowsReadsAndRefusesWrites() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/ro", bytes("fixed"), Ids.READ_ACL_UNSAFE, CreateMode.PERSISTENT);

        assertThat(zk.getData("/ro", false, null)).isEqualTo(bytes("fixed"));
        assertThat(zk.getChildren("/ro", false)).isEmpty();
        assertThat(failure(() -> zk.setData("/ro", bytes("changed"), -1)).code()).isEqualTo(Code.NOAUTH);
        assertThat(failure(() -> zk.create("/ro/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)).code())
                .isEqualTo(Code.NOAUTH);
        assertThat(failure(() -> zk.setACL("/ro", Ids.OPEN_ACL_UNSAFE, -1)).code()).isEqualTo(Code.NOAUTH);
    }

    @Test
    void digestAclAdmitsOnlyTheUserWithThePassword() throws Exception {
        ZooKeeper alice = connectAs("alice:secret");
        ZooKeeper anonymous = connect();
        ZooKeeper wrongPassword = connectAs("alice:guess");
        alice.create("/private", bytes("mine"), acls(digest(Perms.ALL, "alice:secret")), CreateMode.PERSISTENT);
        quiesce(anonymous);
        quiesce(wrongPassword);

        assertThat(alice.getData("/private", false, null)).isEqualTo(bytes("mine"));
        assertThat(failure(() -> anonymous.getData("/private", false, null)).code()).isEqualTo(Code.NOAUTH);
        assertThat(failure(() -> wrongPassword.getData("/private", false, null)).code()).isEqualTo(Code.NOAUTH);
        assertThat(failure(() -> anonymous.getChildren("/private", false)).code()).isEqualTo(Code.NOAUTH);
        assertThat(failure(() -> anonymous.setData("/private", null, -1)).code()).isEqualTo(Code.NOAUTH);
    }

    @Test
    void existsNeedsReadOnAnExistingNodeOnly() throws Exception {
        ZooKeeper alice = connectAs("alice:secret");
        ZooKeeper anonymous = connect();
        alice.create("/private", null, acls(digest(Perms.ALL, "alice:secret")), CreateMode.PERSISTENT);
        quiesce(anonymous);

        assertThat(failure(() -> anonymous.exists("/private", false)).code()).isEqualTo(Code.NOAUTH);
        assertThat(anonymous.exists("/private/missing", false)).isNull();
    }

    @Test
    void loggingInLaterAdmitsTheSameConnection() throws Exception {
        ZooKeeper owner = connectAs("alice:secret");
        owner.create("/private", bytes("mine"), acls(digest(Perms.ALL, "alice:secret")), CreateMode.PERSISTENT);
        ZooKeeper zk = connect();
        assertThat(failure(() -> zk.getData("/private", false, null)).code()).isEqualTo(Code.NOAUTH);

        zk.addAuthInfo("digest", bytes("alice:secret"));

        assertThat(zk.getData("/private", false, null)).isEqualTo(bytes("mine"));
    }

    @Test
    void authSchemeBecomesOneEntryPerLoggedInUser() throws Exception {
        ZooKeeper zk = connectAs("alice:secret");
        zk.addAuthInfo("digest", bytes("bob:pw"));

        zk.create("/mine", null, Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);

        assertThat(zk.getACL("/mine", new Stat())).containsExactly(
                digest(Perms.ALL, "alice:secret"), digest(Perms.ALL, "bob:pw"));
    }

    @Test
    void authSchemeKeepsTheEntrysPermissions() throws Exception {
        ZooKeeper zk = connectAs("alice:secret");
        ZooKeeper superUser = connectAs(ServerOptions.SUPER_CREDENTIALS);

        zk.create("/mine", null, acls(acl(Perms.READ | Perms.WRITE, "auth", ""), acl(Perms.READ, "world", "anyone")),
                CreateMode.PERSISTENT);
        quiesce(superUser);

        assertThat(superUser.getACL("/mine", new Stat())).containsExactly(
                digest(Perms.READ | Perms.WRITE, "alice:secret"), acl(Perms.READ, "world", "anyone"));
        // Without ADMIN even the owner sees the digest masked.
        assertThat(zk.getACL("/mine", new Stat())).containsExactly(
                acl(Perms.READ | Perms.WRITE, "digest", "alice:x"), acl(Perms.READ, "world", "anyone"));
    }

    @Test
    void authSchemeWithoutALoggedInUserIsInvalidAcl() throws Exception {
        ZooKeeper zk = connect();

        assertThat(failure(() -> zk.create("/n", null, Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT)).code())
                .isEqualTo(Code.INVALIDACL);
        zk.create("/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(failure(() -> zk.setACL("/n", Ids.CREATOR_ALL_ACL, -1)).code()).isEqualTo(Code.INVALIDACL);
    }

    @Test
    void worldWithAnIdOtherThanAnyoneIsInvalidAcl() throws Exception {
        ZooKeeper zk = connect();

        assertThat(failure(() -> zk.create("/n", null, acls(acl(Perms.ALL, "world", "someone")),
                CreateMode.PERSISTENT)).code()).isEqualTo(Code.INVALIDACL);
    }

    @Test
    void malformedIdsAndUnknownSchemesAreInvalidAcl() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        for (ACL bad : acls(acl(Perms.ALL, "digest", "no-colon"), acl(Perms.ALL, "digest", "a:b:c"),
                acl(Perms.ALL, "ip", "999.1.1.1"), acl(Perms.ALL, "ip", "127.0.0.1/33"),
                acl(Perms.ALL, "nosuchscheme", "x"))) {
            assertThat(failure(() -> zk.setACL("/n", acls(bad), -1)).code()).as(bad.toString())
                    .isEqualTo(Code.INVALIDACL);
        }
        assertThat(zk.getACL("/n", new Stat())).isEqualTo(Ids.OPEN_ACL_UNSAFE);
    }

    @Test
    void anEntryWithoutAnIdUnderAKnownSchemeIsAMarshallingError() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        // ZooKeeper cannot evaluate such an entry at all (it fails reading the id), so the answer is
        // MARSHALLINGERROR rather than INVALIDACL; an unknown scheme is refused before its id is read.
        assertThat(failure(() -> zk.setACL("/n", acls(acl(Perms.ALL, "digest", null)), -1)).code())
                .isEqualTo(Code.MARSHALLINGERROR);
        assertThat(failure(() -> zk.setACL("/n", acls(acl(Perms.ALL, "ip", null)), -1)).code())
                .isEqualTo(Code.MARSHALLINGERROR);
        assertThat(failure(() -> zk.create("/w", null, acls(acl(Perms.ALL, "world", null)), CreateMode.PERSISTENT))
                .code()).isEqualTo(Code.MARSHALLINGERROR);
        assertThat(failure(() -> zk.create("/missing/w", null, acls(acl(Perms.ALL, "digest", null)),
                CreateMode.PERSISTENT)).code()).isEqualTo(Code.MARSHALLINGERROR);
        List<ACL> secondEntryWithoutId = acls(acl(Perms.ALL, "world", "anyone"), acl(Perms.READ, "digest", null));
        assertThat(failure(() -> zk.create("/w", null, secondEntryWithoutId, CreateMode.PERSISTENT)).code())
                .isEqualTo(Code.MARSHALLINGERROR);
        assertThat(failure(() -> zk.setACL("/n", acls(acl(Perms.ALL, "nosuchscheme", null)), -1)).code())
                .isEqualTo(Code.INVALIDACL);
        List<ACL> unknownSchemeFirst = acls(acl(Perms.ALL, "nosuchscheme", "x"), acl(Perms.READ, "digest", null));
        assertThat(failure(() -> zk.create("/w", null, unknownSchemeFirst, CreateMode.PERSISTENT)).code())
                .as("entries are checked in order").isEqualTo(Code.INVALIDACL);
        assertThat(connectAs("alice:secret").create("/w", null, acls(acl(Perms.ALL, "auth", null)),
                CreateMode.PERSISTENT)).as("auth ignores the id").isEqualTo("/w");
        assertThat(zk.getACL("/n", new Stat())).isEqualTo(Ids.OPEN_ACL_UNSAFE);
    }

    @Test
    void aMultiWithAnEntryWithoutAnIdFailsAsAWhole() throws Exception {
        ZooKeeper zk = connect();

        var e = failure(() -> zk.multi(List.of(
                Op.create("/m1", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.create("/m2", null, acls(acl(Perms.ALL, "world", null)), CreateMode.PERSISTENT),
                Op.create("/m3", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT))));

        assertThat(e.code()).isEqualTo(Code.MARSHALLINGERROR);
        assertThat(e.getResults()).as("no per-op results").isNull();
        assertThat(zk.exists("/m1", false)).isNull();
    }

    @Test
    void invalidAclIsReportedBeforeAMissingParent() throws Exception {
        ZooKeeper zk = connect();

        assertThat(failure(() -> zk.create("/missing/n", null, acls(acl(Perms.ALL, "world", "someone")),
                CreateMode.PERSISTENT)).code()).isEqualTo(Code.INVALIDACL);
    }

    @Test
    void createIsCheckedAgainstTheParentsCreatePermission() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/nocreate", null, acls(acl(Perms.ALL & ~Perms.CREATE, "world", "anyone")), CreateMode.PERSISTENT);
        zk.create("/onlycreate", null, acls(acl(Perms.CREATE, "world", "anyone")), CreateMode.PERSISTENT);

        assertThat(failure(() -> zk.create("/nocreate/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)).code())
                .isEqualTo(Code.NOAUTH);
        assertThat(zk.create("/onlycreate/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT))
                .isEqualTo("/onlycreate/c");
    }

    @Test
    void noAuthOnTheParentIsReportedBeforeNodeExists() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/p", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/p/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.setACL("/p", Ids.READ_ACL_UNSAFE, -1);

        assertThat(failure(() -> zk.create("/p/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)).code())
                .isEqualTo(Code.NOAUTH);
    }

    @Test
    void deleteIsCheckedAgainstTheParentsDeletePermission() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/p", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/p/c", null, Ids.READ_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/keep", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/keep/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.setACL("/keep", acls(acl(Perms.ALL & ~Perms.DELETE, "world", "anyone")), -1);

        zk.delete("/p/c", -1);
        assertThat(failure(() -> zk.delete("/keep/c", -1)).code()).isEqualTo(Code.NOAUTH);
        assertThat(zk.exists("/keep/c", false)).isNotNull();
    }

    @Test
    void deleteWithoutParentPermissionIsNoAuthEvenWhenTheChildIsMissing() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/keep", null, acls(acl(Perms.ALL & ~Perms.DELETE, "world", "anyone")), CreateMode.PERSISTENT);

        assertThat(failure(() -> zk.delete("/keep/missing", -1)).code()).isEqualTo(Code.NOAUTH);
        assertThat(failure(() -> zk.delete("/keep/missing", 5)).code()).isEqualTo(Code.NOAUTH);
    }

    @Test
    void ipAclMatchesTheClientAddress() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/local", bytes("yes"), acls(acl(Perms.ALL, "ip", "127.0.0.1")), CreateMode.PERSISTENT);
        zk.create("/subnet", bytes("yes"), acls(acl(Perms.ALL, "ip", "127.0.0.0/8")), CreateMode.PERSISTENT);
        zk.create("/elsewhere", bytes("no"), acls(acl(Perms.ALL, "ip", "10.1.2.3")), CreateMode.PERSISTENT);

        assertThat(zk.getData("/local", false, null)).isEqualTo(bytes("yes"));
        assertThat(zk.getData("/subnet", false, null)).isEqualTo(bytes("yes"));
        assertThat(failure(() -> zk.getData("/elsewhere", false, null)).code()).isEqualTo(Code.NOAUTH);
    }

    @Test
    void superUserPassesEveryCheck() throws Exception {
        ZooKeeper alice = connectAs("alice:secret");
        alice.create("/private", bytes("mine"), acls(digest(Perms.ALL, "alice:secret")), CreateMode.PERSISTENT);
        alice.create("/private/c", null, acls(digest(Perms.READ, "alice:secret")), CreateMode.PERSISTENT);
        ZooKeeper root = connectAs(ServerOptions.SUPER_CREDENTIALS);

        assertThat(root.getData("/private", false, null)).isEqualTo(bytes("mine"));
        root.setData("/private/c", bytes("overridden"), -1);
        root.delete("/private/c", -1);
        root.setACL("/private", Ids.OPEN_ACL_UNSAFE, -1);
        assertThat(connect().getData("/private", false, null)).isEqualTo(bytes("mine"));
    }

    @Test
    void getAclWithoutAdminMasksDigests() throws Exception {
        ZooKeeper alice = connectAs("alice:secret");
        List<ACL> stored = acls(digest(Perms.ALL, "alice:secret"), acl(Perms.READ, "world", "anyone"));
        alice.create("/n", null, stored, CreateMode.PERSISTENT);
        ZooKeeper reader = connect();

        assertThat(alice.getACL("/n", new Stat())).isEqualTo(stored);
        assertThat(reader.getACL("/n", new Stat())).containsExactly(
                acl(Perms.ALL, "digest", "alice:x"), acl(Perms.READ, "world", "anyone"));
    }

    @Test
    void getAclNeedsReadOrAdmin() throws Exception {
        ZooKeeper zk = connect();
        zk.create("/admin-only", null, acls(acl(Perms.ADMIN, "world", "anyone")), CreateMode.PERSISTENT);
        zk.create("/write-only", null, acls(acl(Perms.WRITE, "world", "anyone")), CreateMode.PERSISTENT);

        assertThat(zk.getACL("/admin-only", new Stat())).containsExactly(acl(Perms.ADMIN, "world", "anyone"));
        assertThat(failure(() -> zk.getACL("/write-only", new Stat())).code()).isEqualTo(Code.NOAUTH);
    }

    @Test
    void unknownAuthSchemeFailsTheConnection() throws Exception {
        ZooKeeper zk = connect();

        zk.addAuthInfo("nosuchscheme", bytes("whatever"));

        sessionEvents(zk).awaitState(KeeperState.AuthFailed);
        assertThat(failure(() -> zk.exists("/", false)).code()).isEqualTo(Code.AUTHFAILED);
    }

    @Test
    void watchEventsAreOnlyDeliveredToConnectionsThatMayReadTheNode() throws Exception {
        ZooKeeper alice = connectAs("alice:secret");
        ZooKeeper outsider = connect();
        alice.create("/private", null, acls(digest(Perms.ALL, "alice:secret")), CreateMode.PERSISTENT);
        alice.create("/public", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        EventRecorder watcher = new EventRecorder();
        quiesce(outsider);
        outsider.addWatch("/", watcher, AddWatchMode.PERSISTENT_RECURSIVE);

        alice.setData("/private", bytes("secret change"), -1);
        alice.setData("/public", bytes("public change"), -1);

        assertThat(watcher.nextNode()).isEqualTo("NodeDataChanged /public");
        quiesce(outsider);
        watcher.assertNothingMore();
    }

    @Test
    void aOneShotWatchWhoseNodeBecameUnreadableIsUsedUpSilently() throws Exception {
        ZooKeeper zk = connect();
        ZooKeeper admin = connectAs(ServerOptions.SUPER_CREDENTIALS);
        zk.create("/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        EventRecorder watcher = new EventRecorder();
        zk.getData("/n", watcher, null);
        admin.setACL("/n", acls(acl(Perms.ALL, "ip", "10.9.9.9")), -1);

        admin.setData("/n", bytes("hidden"), -1);
        admin.setACL("/n", Ids.OPEN_ACL_UNSAFE, -1);
        admin.setData("/n", bytes("visible, but the watch is gone"), -1);

        quiesce(zk);
        watcher.assertNothingMore();
    }

    @Test
    void childEventsNeedReadOnTheParent() throws Exception {
        ZooKeeper zk = connect();
        ZooKeeper admin = connectAs(ServerOptions.SUPER_CREDENTIALS);
        zk.create("/p", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        EventRecorder watcher = new EventRecorder();
        zk.getChildren("/p", watcher);
        zk.addWatch("/p", watcher, AddWatchMode.PERSISTENT);
        admin.setACL("/p", acls(acl(Perms.ALL, "ip", "10.9.9.9")), -1);

        admin.create("/p/kid", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        quiesce(zk);
        watcher.assertNothingMore();
    }

    @Test
    void ipLoginAddsNothingAndKeepsTheConnection() throws Exception {
        ZooKeeper zk = connect();

        zk.addAuthInfo("ip", bytes("10.0.0.1"));

        assertThat(zk.whoAmI()).containsExactly(new ClientInfo("ip", "127.0.0.1"));
        assertThat(zk.getState()).isEqualTo(ZooKeeper.States.CONNECTED);
    }

    @Test
    void loginWithTheWorldSchemeFails() throws Exception {
        ZooKeeper zk = connect();

        zk.addAuthInfo("world", bytes("anyone"));

        sessionEvents(zk).awaitState(KeeperState.AuthFailed);
    }

    @Test
    void theSuperUsersAuthEntryIsItsDigest() throws Exception {
        ZooKeeper root = connectAs(ServerOptions.SUPER_CREDENTIALS);

        root.create("/n", null, Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);

        assertThat(root.getACL("/n", new Stat())).containsExactly(acl(Perms.ALL, "digest", ServerOptions.SUPER_DIGEST));
    }

    @Test
    void unusualButValidAclsAreStoredAsGiven() throws Exception {
        ZooKeeper zk = connect();
        ZooKeeper root = connectAs(ServerOptions.SUPER_CREDENTIALS);

        zk.create("/v6", null, acls(acl(Perms.ALL, "ip", "::1"), acl(Perms.READ, "ip", "fe80::/10")),
                CreateMode.PERSISTENT);
        zk.create("/extra-bits", null, acls(acl(63, "world", "anyone")), CreateMode.PERSISTENT);
        zk.create("/no-perms", null, acls(acl(0, "world", "anyone")), CreateMode.PERSISTENT);
        zk.create("/trailing-colon", null, acls(acl(Perms.ALL, "digest", "user:hash:")), CreateMode.PERSISTENT);
        quiesce(root);

        assertThat(failure(() -> zk.getData("/v6", false, null)).code()).as("an IPv4 client").isEqualTo(Code.NOAUTH);
        assertThat(zk.getACL("/extra-bits", new Stat())).containsExactly(acl(63, "world", "anyone"));
        assertThat(failure(() -> zk.getData("/no-perms", false, null)).code()).isEqualTo(Code.NOAUTH);
        assertThat(root.getACL("/trailing-colon", new Stat())).containsExactly(acl(Perms.ALL, "digest", "user:hash:"));
        assertThat(root.getACL("/v6", new Stat())).containsExactly(acl(Perms.ALL, "ip", "::1"),
                acl(Perms.READ, "ip", "fe80::/10"));
    }

    @Test
    void anExistsWatchDoesNotRevealANodeCreatedUnreadable() throws Exception {
        ZooKeeper zk = connect();
        ZooKeeper alice = connectAs("alice:secret");
        EventRecorder watcher = new EventRecorder();
        zk.exists("/secret", watcher);

        alice.create("/secret", null, acls(digest(Perms.ALL, "alice:secret")), CreateMode.PERSISTENT);

        quiesce(zk);
        watcher.assertNothingMore();
    }
}
