package dev.meerkat.server.auth;

import dev.meerkat.protocol.record.Id;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class DigestAuthenticationProviderTest {
    private static final String SUPER_DIGEST = "super:D/InIHSb7yEEbrWz8b9l71RjZJU=";
    private static final InetAddress LOCAL = InetAddress.getLoopbackAddress();

    @Test
    void digestOfSuperTestIsTheWellKnownValue() {
        assertThat(DigestAuthenticationProvider.generateDigest("super:test")).isEqualTo(SUPER_DIGEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bob:secret", "super:test", "a:b:c", "nocolon", "", ":", ":pw", "user:",
            "jörg:pässwörd", "名前:パスワード", "x:12345678901234567890"})
    void digestIsTheSameAsZooKeepers(String idPassword) throws Exception {
        assertThat(DigestAuthenticationProvider.generateDigest(idPassword))
                .isEqualTo(org.apache.zookeeper.server.auth.DigestAuthenticationProvider.generateDigest(idPassword));
    }

    @Test
    void loginGivesTheDigestIdentity() {
        DigestAuthenticationProvider provider = new DigestAuthenticationProvider(SUPER_DIGEST);

        assertThat(provider.authenticate(bytes("bob:secret"), LOCAL))
                .containsExactly(new Id("digest", DigestAuthenticationProvider.generateDigest("bob:secret")));
    }

    @Test
    void superPasswordAlsoGivesTheSuperIdentity() {
        DigestAuthenticationProvider provider = new DigestAuthenticationProvider(SUPER_DIGEST);

        assertThat(provider.authenticate(bytes("super:test"), LOCAL))
                .containsExactly(new Id("super", ""), new Id("digest", SUPER_DIGEST));
        assertThat(provider.authenticate(bytes("super:wrong"), LOCAL))
                .doesNotContain(new Id("super", ""))
                .hasSize(1);
    }

    @Test
    void withoutASuperDigestNobodyIsSuper() {
        DigestAuthenticationProvider provider = new DigestAuthenticationProvider(null);

        assertThat(provider.authenticate(bytes("super:test"), LOCAL)).containsExactly(new Id("digest", SUPER_DIGEST));
    }

    @Test
    void loginNeverFailsEvenWithoutAColon() {
        DigestAuthenticationProvider provider = new DigestAuthenticationProvider(null);

        assertThat(provider.authenticate(bytes("justaname"), LOCAL))
                .containsExactly(new Id("digest", DigestAuthenticationProvider.generateDigest("justaname")));
        assertThat(provider.authenticate(new byte[0], null)).hasSize(1);
        assertThat(provider.authenticate(null, null)).hasSize(1);
    }

    @Test
    void matchesOnlyTheExactDigest() {
        DigestAuthenticationProvider provider = new DigestAuthenticationProvider(null);
        String bob = DigestAuthenticationProvider.generateDigest("bob:secret");

        assertThat(provider.matches(bob, bob)).isTrue();
        assertThat(provider.matches(bob, DigestAuthenticationProvider.generateDigest("bob:other"))).isFalse();
        assertThat(provider.matches(bob, "bob:x")).isFalse();
    }

    @Test
    void validIdsHaveExactlyOneSeparatingColon() {
        DigestAuthenticationProvider provider = new DigestAuthenticationProvider(null);

        assertThat(provider.isValid("bob:abc=")).isTrue();
        assertThat(provider.isValid(":abc")).isTrue();
        assertThat(provider.isValid("bob")).isFalse();
        assertThat(provider.isValid("bob:")).isFalse();
        assertThat(provider.isValid("a:b:c")).isFalse();
        assertThat(provider.isValid("")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bob:abc=", ":abc", "bob", "bob:", "a:b:c", "", ":", "::", "a:b:", "a:b::", "a::b",
            ":a:"})
    void validityIsTheSameAsZooKeepers(String id) {
        assertThat(new DigestAuthenticationProvider(null).isValid(id))
                .isEqualTo(new org.apache.zookeeper.server.auth.DigestAuthenticationProvider().isValid(id));
    }

    @Test
    void digestIdentitiesExpandAuthAcls() {
        assertThat(new DigestAuthenticationProvider(null).isAuthenticated()).isTrue();
        assertThat(new DigestAuthenticationProvider(null).scheme()).isEqualTo("digest");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
