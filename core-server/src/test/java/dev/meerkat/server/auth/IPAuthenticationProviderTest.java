package dev.meerkat.server.auth;

import dev.meerkat.protocol.record.Id;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IPAuthenticationProviderTest {
    private final IPAuthenticationProvider provider = new IPAuthenticationProvider();
    private final org.apache.zookeeper.server.auth.IPAuthenticationProvider zookeeper =
            new org.apache.zookeeper.server.auth.IPAuthenticationProvider();

    @Test
    void identityIsTheRemoteAddress() throws Exception {
        assertThat(provider.authenticate(new byte[0], InetAddress.getByName("192.168.1.7")))
                .containsExactly(new Id("ip", "192.168.1.7"));
        assertThat(provider.authenticate(null, InetAddress.getByName("::1")))
                .containsExactly(new Id("ip", "0:0:0:0:0:0:0:1"));
    }

    @Test
    void withoutARemoteAddressThereIsNoIdentity() {
        assertThatThrownBy(() -> provider.authenticate(new byte[0], null)).isInstanceOf(AuthFailedException.class);
    }

    @Test
    void ipv4MatchesExactlyOrByPrefix() {
        assertThat(provider.matches("10.1.2.3", "10.1.2.3")).isTrue();
        assertThat(provider.matches("10.1.2.4", "10.1.2.3")).isFalse();
        assertThat(provider.matches("10.1.2.200", "10.1.2.0/24")).isTrue();
        assertThat(provider.matches("10.1.3.1", "10.1.2.0/24")).isFalse();
        assertThat(provider.matches("10.1.3.1", "10.1.2.0/23")).isTrue();
        assertThat(provider.matches("10.1.4.1", "10.1.2.0/23")).isFalse();
        assertThat(provider.matches("192.168.0.1", "0.0.0.0/0")).isTrue();
        assertThat(provider.matches("10.1.2.3", "10.1.2.3/32")).isTrue();
        assertThat(provider.matches("10.1.2.3", "10.1.2.3/33")).isFalse();
        assertThat(provider.matches("10.1.2.3", "10.1.2.3/x")).isFalse();
    }

    @Test
    void ipv6MatchesWhateverTheSpelling() throws Exception {
        String host = InetAddress.getByName("2001:db8::1").getHostAddress();
        assertThat(host).isEqualTo("2001:db8:0:0:0:0:0:1");

        assertThat(provider.matches(host, "2001:db8::1")).isTrue();
        assertThat(provider.matches(host, "2001:0db8:0000:0000:0000:0000:0000:0001")).isTrue();
        assertThat(provider.matches(host, "2001:db8::/32")).isTrue();
        assertThat(provider.matches("2001:db9:0:0:0:0:0:1", "2001:db8::/32")).isFalse();
        assertThat(provider.matches(host, "2001:db8::2")).isFalse();
        assertThat(provider.matches(host, "2001:db8::/129")).isFalse();
        assertThat(provider.matches("0:0:0:0:0:0:0:1", "::1")).isTrue();
        assertThat(provider.matches("fe80:0:0:0:0:0:0:1", "fe80::/10")).isTrue();
        assertThat(provider.matches("fec0:0:0:0:0:0:0:1", "fe80::/10")).isFalse();
    }

    @Test
    void familiesNeverMatchEachOther() {
        assertThat(provider.matches("10.0.0.1", "::/0")).isFalse();
        assertThat(provider.matches("0:0:0:0:0:0:0:1", "0.0.0.0/0")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "10.0.0.0/8", "0.0.0.0/0", "255.255.255.255/32", "::1", "::", "1::",
            "2001:db8::/32", "2001:db8:0:0:0:0:0:1/128", "fe80::1:2:3:4"})
    void acceptsWellFormedAddresses(String id) {
        assertThat(provider.isValid(id)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "10.0.0", "10.0.0.1.2", "10.0.0.256", "10.0.0.-1", "10.0.0.1/33",
            "10.0.0.1/-1", "10.0.0.1/", "10.0.0.1/a", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3",
            "1:2:3:4::5:6:7:8", "12345::", "g::1", "::1/129", "::ffff:1.2.3.4", "fe80::1%eth0"})
    void rejectsMalformedAddressesAndPrefixes(String id) {
        assertThat(provider.isValid(id)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "10.0.0.1", "10.0.0.0/8", "10.0.0", "10.0.0.256", "10.0.0.1/33",
            "01.02.03.04", "+1.2.3.4", "::1", "::", "::/0", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8/64",
            "1:2:3:4:5:6:7", "1::2::3", "1:2:3:4::5:6:7:8", "12345::", "g::1", "::1/129", "::ffff:1.2.3.4",
            "fe80::1%eth0", "-1::", "+f::", ":1::", "1:::2", "/8", "10.0.0.1/+8"})
    void validityIsTheSameAsZooKeepers(String id) {
        assertThat(provider.isValid(id)).as(id).isEqualTo(zookeeper.isValid(id));
    }

    @ParameterizedTest
    @CsvSource({
        "10.1.2.3, 10.1.2.3",
        "10.1.2.3, 10.1.2.0/24",
        "10.1.2.3, 10.1.3.0/24",
        "10.1.2.3, 10.1.2.3/33",
        "10.1.2.3, 0.0.0.0/0",
        "10.1.2.3, 10.1.2.0/31",
        "10.1.2.3, ::/0",
        "2001:db8:0:0:0:0:0:1, 2001:db8::/32",
        "2001:db8:0:0:0:0:0:1, 2001:db8::/127",
        "2001:db8:0:0:0:0:0:1, 2001:db9::/32",
        "2001:db8:0:0:0:0:0:1, 2001:db8::1",
        "2001:db8:0:0:0:0:0:1, 0.0.0.0/0",
        "0:0:0:0:0:0:0:1, ::1",
        "fe80:0:0:0:0:0:0:1%2, fe80::/10",
        "not-an-address, 10.0.0.0/8",
    })
    void matchingIsTheSameAsZooKeepers(String id, String aclExpr) {
        assertThat(provider.matches(id, aclExpr)).as(id + " vs " + aclExpr)
                .isEqualTo(zookeeper.matches(id, aclExpr));
    }

    @Test
    void anAddressIsNotAUser() {
        assertThat(provider.isAuthenticated()).isFalse();
        assertThat(provider.scheme()).isEqualTo("ip");
    }
}
