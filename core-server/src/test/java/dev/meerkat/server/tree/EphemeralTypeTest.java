package dev.meerkat.server.tree;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EphemeralTypeTest {

    private static final long SESSION = 0x0100_0075_2EFC_0000L;

    @Test
    void ttlOwnerUsesZooKeepersEncoding() {
        assertThat(EphemeralType.ttlOwner(1)).isEqualTo(0xFF00_0000_0000_0001L);
        assertThat(EphemeralType.ttlOwner(EphemeralType.MAX_TTL)).isEqualTo(0xFF00_00FF_FFFF_FFFFL);
        assertThat(EphemeralType.MAX_TTL).isEqualTo(1_099_511_627_775L);
    }

    @Test
    void ttlOutsideTheEncodableRangeIsRefused() {
        assertThatThrownBy(() -> EphemeralType.ttlOwner(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EphemeralType.ttlOwner(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EphemeralType.ttlOwner(EphemeralType.MAX_TTL + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ownersAreClassified() {
        long ttl = EphemeralType.ttlOwner(60_000);

        assertThat(EphemeralType.isContainer(EphemeralType.CONTAINER_OWNER)).isTrue();
        assertThat(EphemeralType.isContainer(0)).isFalse();
        assertThat(EphemeralType.isContainer(ttl)).isFalse();

        assertThat(EphemeralType.isTtl(ttl)).isTrue();
        assertThat(EphemeralType.isTtl(EphemeralType.CONTAINER_OWNER)).isFalse();
        assertThat(EphemeralType.isTtl(SESSION)).isFalse();
        assertThat(EphemeralType.isTtl(0)).isFalse();
        // 0xFF top byte with a non-zero extended type is some future extended type, not a TTL
        assertThat(EphemeralType.isTtl(0xFF00_0100_0000_0001L)).isFalse();

        assertThat(EphemeralType.isEphemeral(SESSION)).isTrue();
        assertThat(EphemeralType.isEphemeral(0)).isFalse();
        assertThat(EphemeralType.isEphemeral(EphemeralType.CONTAINER_OWNER)).isFalse();
        assertThat(EphemeralType.isEphemeral(ttl)).isFalse();
    }

    @Test
    void ttlOfReadsBackTheMillisOnlyForTtlOwners() {
        assertThat(EphemeralType.ttlOf(EphemeralType.ttlOwner(60_000))).isEqualTo(60_000);
        assertThat(EphemeralType.ttlOf(EphemeralType.ttlOwner(EphemeralType.MAX_TTL))).isEqualTo(EphemeralType.MAX_TTL);
        assertThat(EphemeralType.ttlOf(SESSION)).isZero();
        assertThat(EphemeralType.ttlOf(EphemeralType.CONTAINER_OWNER)).isZero();
    }

    @Test
    void onlyRealSessionOwnersAreReportedToClients() {
        assertThat(EphemeralType.reportedOwner(SESSION)).isEqualTo(SESSION);
        assertThat(EphemeralType.reportedOwner(0)).isZero();
        assertThat(EphemeralType.reportedOwner(EphemeralType.CONTAINER_OWNER)).isZero();
        assertThat(EphemeralType.reportedOwner(EphemeralType.ttlOwner(5))).isZero();
    }
}
