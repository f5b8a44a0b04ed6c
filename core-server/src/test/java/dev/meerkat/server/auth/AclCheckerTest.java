package dev.meerkat.server.auth;

import dev.meerkat.protocol.Perms;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.protocol.record.Id;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AclCheckerTest {
    private static final String SUPER_DIGEST = "super:D/InIHSb7yEEbrWz8b9l71RjZJU=";
    private static final Id BOB = new Id("digest", DigestAuthenticationProvider.generateDigest("bob:secret"));
    private static final Id ALICE = new Id("digest", DigestAuthenticationProvider.generateDigest("alice:pw"));
    private static final Id LOCALHOST = new Id("ip", "127.0.0.1");
    private static final int[] EVERY_PERM = {Perms.READ, Perms.WRITE, Perms.CREATE, Perms.DELETE, Perms.ADMIN};

    private final AclChecker checker = new AclChecker(SUPER_DIGEST, false);

    @Test
    void knowsTheDigestAndIpProvidersOnly() {
        assertThat(checker.provider("digest")).isInstanceOf(DigestAuthenticationProvider.class);
        assertThat(checker.provider("ip")).isInstanceOf(IPAuthenticationProvider.class);
        assertThat(checker.provider("world")).isNull();
        assertThat(checker.provider("auth")).isNull();
        assertThat(checker.provider("super")).isNull();
        assertThat(checker.provider("sasl")).isNull();
        assertThat(checker.provider(null)).isNull();
    }

    @Test
    void theCheckerHandsOutASuperAwareDigestProvider() throws Exception {
        assertThat(checker.provider("digest").authenticate("super:test".getBytes(), null))
                .contains(new Id("super", ""));
    }

    @Test
    void emptyOrMissingAclAllowsEverything() {
        for (int perm : EVERY_PERM) {
            assertThat(checker.check(null, perm, List.of())).isTrue();
            assertThat(checker.check(List.of(), perm, List.of())).isTrue();
        }
    }

    @Test
    void worldAnyoneGrantsExactlyItsPermissions() {
        List<ACL> readOnly = ACL.READ_ACL_UNSAFE;

        assertThat(checker.check(readOnly, Perms.READ, List.of())).isTrue();
        assertThat(checker.check(readOnly, Perms.WRITE, List.of(BOB))).isFalse();
        assertThat(checker.check(readOnly, Perms.CREATE, List.of())).isFalse();
        assertThat(checker.check(readOnly, Perms.DELETE, List.of())).isFalse();
        assertThat(checker.check(readOnly, Perms.ADMIN, List.of())).isFalse();
        for (int perm : EVERY_PERM) {
            assertThat(checker.check(ACL.OPEN_ACL_UNSAFE, perm, List.of())).isTrue();
        }
    }

    @Test
    void worldWithAnotherIdGrantsNothing() {
        assertThat(checker.check(List.of(new ACL(Perms.ALL, new Id("world", "everyone"))), Perms.READ, List.of()))
                .isFalse();
    }

    @Test
    void digestEntryGrantsItsPermissionsToThatUserOnly() {
        List<ACL> acl = List.of(new ACL(Perms.READ | Perms.WRITE, BOB));

        assertThat(checker.check(acl, Perms.READ, List.of(LOCALHOST, BOB))).isTrue();
        assertThat(checker.check(acl, Perms.WRITE, List.of(BOB))).isTrue();
        assertThat(checker.check(acl, Perms.DELETE, List.of(BOB))).isFalse();
        assertThat(checker.check(acl, Perms.ADMIN, List.of(BOB))).isFalse();
        assertThat(checker.check(acl, Perms.READ, List.of(ALICE))).isFalse();
        assertThat(checker.check(acl, Perms.READ, List.of())).isFalse();
        assertThat(checker.check(acl, Perms.READ, null)).isFalse();
    }

    @Test
    void identityMustBeOfTheEntrysScheme() {
        List<ACL> acl = List.of(new ACL(Perms.ALL, new Id("digest", "127.0.0.1")));

        assertThat(checker.check(acl, Perms.READ, List.of(LOCALHOST))).isFalse();
    }

    @Test
    void ipEntryGrantsByPrefix() {
        List<ACL> acl = List.of(new ACL(Perms.READ, new Id("ip", "10.0.0.0/8")),
                new ACL(Perms.ALL, new Id("ip", "127.0.0.1")));

        assertThat(checker.check(acl, Perms.READ, List.of(new Id("ip", "10.20.30.40")))).isTrue();
        assertThat(checker.check(acl, Perms.WRITE, List.of(new Id("ip", "10.20.30.40")))).isFalse();
        assertThat(checker.check(acl, Perms.ADMIN, List.of(LOCALHOST))).isTrue();
        assertThat(checker.check(acl, Perms.READ, List.of(new Id("ip", "192.168.1.1")))).isFalse();
    }

    @Test
    void anyOfSeveralRequestedBitsIsEnough() {
        List<ACL> acl = List.of(new ACL(Perms.ADMIN, BOB));

        assertThat(checker.check(acl, Perms.READ | Perms.ADMIN, List.of(BOB))).isTrue();
        assertThat(checker.check(acl, Perms.READ, List.of(BOB))).isFalse();
    }

    @Test
    void laterEntriesAreConsultedToo() {
        List<ACL> acl = List.of(new ACL(Perms.READ, ALICE), new ACL(Perms.WRITE, LOCALHOST),
                new ACL(Perms.WRITE, BOB));

        assertThat(checker.check(acl, Perms.WRITE, List.of(BOB))).isTrue();
    }

    @Test
    void entriesOfUnknownSchemesNeverMatch() {
        List<ACL> acl = List.of(new ACL(Perms.ALL, new Id("sasl", "bob")));

        assertThat(checker.check(acl, Perms.READ, List.of(new Id("sasl", "bob")))).isFalse();
    }

    @Test
    void superIdentityPassesEveryCheck() {
        List<ACL> nobody = List.of(new ACL(0, ALICE));
        for (int perm : EVERY_PERM) {
            assertThat(checker.check(nobody, perm, List.of(new Id("super", "")))).isTrue();
        }
    }

    @Test
    void skipAclPassesEveryCheck() {
        AclChecker skipping = new AclChecker(null, true);

        assertThat(skipping.check(List.of(new ACL(Perms.READ, ALICE)), Perms.ADMIN, List.of())).isTrue();
    }

    @Test
    void fixupRefusesAnEmptyOrMissingList() {
        assertThatThrownBy(() -> checker.fixupAcl(null, List.of(BOB))).isInstanceOf(InvalidAclException.class);
        assertThatThrownBy(() -> checker.fixupAcl(List.of(), List.of(BOB))).isInstanceOf(InvalidAclException.class);
    }

    @Test
    void fixupKeepsWorldAnyoneAndRefusesOtherWorldIds() throws Exception {
        assertThat(checker.fixupAcl(ACL.OPEN_ACL_UNSAFE, List.of())).isEqualTo(ACL.OPEN_ACL_UNSAFE);
        assertThatThrownBy(() -> checker.fixupAcl(List.of(new ACL(Perms.ALL, new Id("world", "other"))), List.of()))
                .isInstanceOf(InvalidAclException.class);
    }

    @Test
    void fixupExpandsAuthIntoEachAuthenticatedIdentity() throws Exception {
        List<Id> identities = List.of(LOCALHOST, new Id("super", ""), BOB, ALICE);

        assertThat(checker.fixupAcl(ACL.CREATOR_ALL_ACL, identities))
                .containsExactly(new ACL(Perms.ALL, BOB), new ACL(Perms.ALL, ALICE));
        assertThat(checker.fixupAcl(List.of(new ACL(Perms.READ, new Id("auth", "ignored"))), List.of(BOB)))
                .containsExactly(new ACL(Perms.READ, BOB));
    }

    @Test
    void fixupRefusesAuthWithoutAnAuthenticatedIdentity() {
        assertThatThrownBy(() -> checker.fixupAcl(ACL.CREATOR_ALL_ACL, List.of(LOCALHOST)))
                .isInstanceOf(InvalidAclException.class);
        assertThatThrownBy(() -> checker.fixupAcl(ACL.CREATOR_ALL_ACL, List.of(new Id("super", ""))))
                .isInstanceOf(InvalidAclException.class);
        assertThatThrownBy(() -> checker.fixupAcl(ACL.CREATOR_ALL_ACL, List.of()))
                .isInstanceOf(InvalidAclException.class);
    }

    @Test
    void fixupRefusesUnknownSchemes() {
        assertThatThrownBy(() -> checker.fixupAcl(List.of(new ACL(Perms.ALL, new Id("sasl", "bob"))), List.of()))
                .isInstanceOf(InvalidAclException.class);
        assertThatThrownBy(() -> checker.fixupAcl(List.of(new ACL(Perms.ALL, new Id("super", ""))), List.of()))
                .isInstanceOf(InvalidAclException.class);
        assertThatThrownBy(() -> checker.fixupAcl(List.of(new ACL(Perms.ALL, new Id(null, "x"))), List.of()))
                .isInstanceOf(InvalidAclException.class);
    }

    @Test
    void fixupRefusesIdsTheirProviderCallsInvalid() {
        for (String bad : List.of("bob", "bob:", "a:b:c")) {
            assertThatThrownBy(() -> checker.fixupAcl(List.of(new ACL(Perms.ALL, new Id("digest", bad))), List.of()))
                    .as(bad).isInstanceOf(InvalidAclException.class);
        }
        assertThatThrownBy(() -> checker.fixupAcl(List.of(new ACL(Perms.ALL, new Id("ip", "10.0.0.300"))), List.of()))
                .isInstanceOf(InvalidAclException.class);
        assertThatThrownBy(() -> checker.fixupAcl(List.of(new ACL(Perms.ALL, new Id("ip", "10.0.0.0/40"))), List.of()))
                .isInstanceOf(InvalidAclException.class);
    }

    @Test
    void fixupRefusesNullEntries() {
        List<ACL> withNull = new ArrayList<>();
        withNull.add(null);

        assertThatThrownBy(() -> checker.fixupAcl(withNull, List.of())).isInstanceOf(InvalidAclException.class);
    }

    @Test
    void fixupKeepsValidDigestAndIpEntriesAsGiven() throws Exception {
        List<ACL> acl = List.of(new ACL(Perms.READ, BOB), new ACL(Perms.ALL, new Id("ip", "10.0.0.0/8")),
                new ACL(Perms.ADMIN, new Id("ip", "::1")));

        assertThat(checker.fixupAcl(acl, List.of())).isEqualTo(acl);
    }

    @Test
    void fixupDropsDuplicatesKeepingTheFirst() throws Exception {
        ACL world = new ACL(Perms.READ, Id.ANYONE);
        ACL bob = new ACL(Perms.ALL, BOB);

        assertThat(checker.fixupAcl(List.of(world, bob, world, new ACL(Perms.ALL, BOB)), List.of()))
                .containsExactly(world, bob);
        // Same identity with other permissions is a different entry.
        assertThat(checker.fixupAcl(List.of(world, new ACL(Perms.ALL, Id.ANYONE)), List.of())).hasSize(2);
    }

    @Test
    void fixupDeduplicatesBeforeExpandingAuthAsZooKeeperDoes() throws Exception {
        List<ACL> acl = List.of(new ACL(Perms.ALL, BOB), new ACL(Perms.ALL, new Id("auth", "")));

        assertThat(checker.fixupAcl(acl, List.of(BOB)))
                .containsExactly(new ACL(Perms.ALL, BOB), new ACL(Perms.ALL, BOB));
    }

    @Test
    void fixupStoresPermissionBitsUnchecked() throws Exception {
        assertThat(checker.fixupAcl(List.of(new ACL(0, Id.ANYONE)), List.of()))
                .containsExactly(new ACL(0, Id.ANYONE));
        assertThat(checker.fixupAcl(List.of(new ACL(0xff, Id.ANYONE)), List.of()))
                .containsExactly(new ACL(0xff, Id.ANYONE));
    }

    @Test
    void maskDigestsHidesTheHashOnly() {
        List<ACL> acl = List.of(new ACL(Perms.ALL, BOB), new ACL(Perms.READ, LOCALHOST),
                new ACL(Perms.READ, Id.ANYONE), new ACL(Perms.WRITE, new Id("digest", "nocolon")));

        assertThat(AclChecker.maskDigests(acl)).containsExactly(
                new ACL(Perms.ALL, new Id("digest", "bob:x")),
                new ACL(Perms.READ, LOCALHOST),
                new ACL(Perms.READ, Id.ANYONE),
                new ACL(Perms.WRITE, new Id("digest", "nocolon")));
        assertThat(acl.get(0).id()).isEqualTo(BOB);
    }
}
