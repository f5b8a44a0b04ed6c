package dev.meerkat.client;

import dev.meerkat.client.ConnectString.HostAndPort;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectStringTest {

    @Test
    void hostsPortsAndChroot() {
        ConnectString cs = ConnectString.parse("zk1:2181, zk2:2182,10.0.0.3/app/prod");

        assertThat(cs.hosts()).containsExactly(new HostAndPort("zk1", 2181), new HostAndPort("zk2", 2182),
                new HostAndPort("10.0.0.3", 2181));
        assertThat(cs.chroot()).isEqualTo("/app/prod");
        assertThat(cs).hasToString("zk1:2181,zk2:2182,10.0.0.3:2181/app/prod");
    }

    @Test
    void ipv6InBrackets() {
        ConnectString cs = ConnectString.parse("[::1]:2181,[fe80::1]");

        assertThat(cs.hosts()).containsExactly(new HostAndPort("::1", 2181), new HostAndPort("fe80::1", 2181));
        assertThat(cs.chroot()).isEmpty();
        assertThat(cs.hosts().get(0)).hasToString("[::1]:2181");
    }

    @Test
    void aChrootOfSlashIsNone() {
        assertThat(ConnectString.parse("h:1/").chroot()).isEmpty();
    }

    @Test
    void malformedStringsAreRefused() {
        assertThatThrownBy(() -> ConnectString.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConnectString.parse("/chroot-only")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConnectString.parse("h:port")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConnectString.parse("h:70000")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConnectString.parse("::1:2181")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConnectString.parse("[::1:2181")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConnectString.parse("h:1/bad/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConnectString.parse("h:1/a//b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBadConnectStringFailsTheConnectFuture() {
        assertThat(MeerkatClient.connect("h:notaport")).isCompletedExceptionally();
    }
}
