package dev.meerkat.server.auth;

import dev.meerkat.protocol.record.Id;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * The {@code digest} scheme: a user proves a name with {@code user:password}; ACLs hold
 * {@code user:BASE64(SHA1("user:password"))}, so the server never stores the password.
 */
public final class DigestAuthenticationProvider implements AuthenticationProvider {
    public static final String SCHEME = "digest";
    /** The identity that bypasses every ACL check. */
    public static final Id SUPER = new Id("super", "");

    private final String superDigest;

    /** @param superDigest {@code super:<base64>} as made by {@link #generateDigest}, or null for no super user */
    public DigestAuthenticationProvider(String superDigest) {
        this.superDigest = superDigest;
    }

    /**
     * {@code user:password} to {@code user:BASE64(SHA1(user:password))}. The whole string is hashed,
     * not only the password, which is what ZooKeeper does and what existing ACLs were made with.
     */
    public static String generateDigest(String idPassword) {
        String user = idPassword.split(":", 2)[0];
        return user + ":" + Base64.getEncoder().encodeToString(sha1(idPassword.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] sha1(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(input);
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform is required to provide SHA-1.
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    /**
     * Never fails: anyone may claim a name, and the claim is only worth something if an ACL holds
     * the same digest. Data without a ':' hashes like any other, as in ZooKeeper. The super identity
     * comes first, in the order ZooKeeper adds them to a connection (whoAmI shows that order).
     */
    @Override
    public List<Id> authenticate(byte[] authData, InetAddress remote) {
        String idPassword = authData == null ? "" : new String(authData, StandardCharsets.UTF_8);
        String digest = generateDigest(idPassword);
        Id id = new Id(SCHEME, digest);
        if (digest.equals(superDigest)) {
            return List.of(SUPER, id);
        }
        return List.of(id);
    }

    @Override
    public boolean matches(String id, String aclExpr) {
        return id.equals(aclExpr);
    }

    /**
     * ZooKeeper's test, {@code id.split(":").length == 2}, kept exactly so that the same ACLs are
     * accepted and refused. It is "one ':'" except that split drops trailing empty strings:
     * {@code "a:b:"} passes, {@code "a:"}, {@code "a"} and {@code "a:b:c"} do not.
     */
    @Override
    public boolean isValid(String id) {
        return id.split(":").length == 2;
    }

    @Override
    public boolean isAuthenticated() {
        return true;
    }
}
