package dev.meerkat.cli.shell;

import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** ACLs round trip through addauth digest, create with an ACL, getAcl and setAcl. */
class AclTest extends ShellTestBase {

    @Test
    void digestAclRoundTrip() throws Exception {
        String digest = DigestAuthenticationProvider.generateDigest("alice:secret");
        String secret = p("secret");
        String shared = p("shared");
        try (ShellSession alice = new ShellSession(server.connectString());
             ShellSession other = new ShellSession(server.connectString())) {
            alice.type("addauth digest alice:secret");
            alice.type("create " + secret + " s1 auth::cdrwa");
            alice.type("create " + shared + " s2 digest:" + digest + ":cdrwa,world:anyone:r");
            alice.type("getAcl " + secret);
            alice.type("getAcl " + shared);
            alice.type("get " + secret);
            alice.type("whoami");
            assertThat(alice.errLines()).containsExactly("Created " + secret, "Created " + shared);
            assertThat(alice.outLines()).containsSubsequence(
                    "'digest,'" + digest, ": cdrwa",
                    "'digest,'" + digest, ": cdrwa", "'world,'anyone", ": r",
                    "s1",
                    "Auth scheme: User");
            // the server lists a connection's identities in an order of its own
            assertThat(alice.outLines()).endsWith("Auth scheme: User", alice.outLines().get(alice.outLines().size() - 2),
                    alice.outLines().get(alice.outLines().size() - 1));
            assertThat(alice.outLines().subList(alice.outLines().size() - 2, alice.outLines().size()))
                    .containsExactlyInAnyOrder("ip: 127.0.0.1", "digest: alice");

            other.clear();
            other.type("get " + secret);
            other.type("set " + shared + " x");
            other.type("get " + shared);
            other.type("setAcl " + shared + " world:anyone:cdrwa");
            assertThat(other.errLines()).containsExactly(
                    "Insufficient permission : " + secret,
                    "Insufficient permission : " + shared,
                    "Insufficient permission : " + shared);
            assertThat(other.outLines()).containsExactly("s2");
            assertThat(other.shell.exitCode()).isEqualTo(1);

            other.clear();
            other.type("addauth digest alice:secret");
            other.type("get " + secret);
            other.type("setAcl -s " + shared + " world:anyone:cdrwa");
            assertThat(other.err()).isEmpty();
            assertThat(other.outLines()).contains("s1", "aclVersion = 1");
            other.type("getAcl " + shared);
            assertThat(other.outLines()).endsWith("'world,'anyone", ": cdrwa");
        }
    }

    @Test
    void anAuthAclWithoutCredentialsIsInvalid() throws Exception {
        try (ShellSession s = new ShellSession(server.connectString())) {
            s.type("create " + p("x") + " d auth::cdrwa");
            assertThat(s.errLines()).containsExactly(
                    "KeeperErrorCode = InvalidACL for " + p("x"), "Acl is not valid : " + p("x"));
            assertThat(s.shell.exitCode()).isEqualTo(1);
        }
    }
}
