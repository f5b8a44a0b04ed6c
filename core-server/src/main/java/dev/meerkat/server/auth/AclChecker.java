package dev.meerkat.server.auth;

import dev.meerkat.protocol.record.ACL;
import dev.meerkat.protocol.record.Id;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * ACL decisions with ZooKeeper 3.9's rules: whether a connection's identities grant a permission on
 * a node, and how an ACL list given to create or setACL is checked and expanded before it is stored.
 */
public final class AclChecker {
    private static final String WORLD = "world";
    private static final String ANYONE = "anyone";
    private static final String AUTH = "auth";
    private static final String SUPER = "super";
    private static final Pattern DIGEST_SECRET = Pattern.compile(":.*");

    private final boolean skipAcl;
    private final Map<String, AuthenticationProvider> providers;

    /**
     * @param superDigest {@code super:<base64>} whose digest login bypasses all checks, or null
     * @param skipAcl     ZooKeeper's {@code zookeeper.skipACL=yes}: every check passes
     */
    public AclChecker(String superDigest, boolean skipAcl) {
        this.skipAcl = skipAcl;
        AuthenticationProvider digest = new DigestAuthenticationProvider(superDigest);
        AuthenticationProvider ip = new IPAuthenticationProvider();
        this.providers = Map.of(digest.scheme(), digest, ip.scheme(), ip);
    }

    /**
     * The provider that handles addAuthInfo and ACL matching for a scheme; null for an unknown
     * scheme. {@code world} and {@code auth} are ACL notations, not schemes one can log in to.
     */
    public AuthenticationProvider provider(String scheme) {
        return scheme == null ? null : providers.get(scheme);
    }

    /**
     * Whether {@code identities} hold {@code perm} under {@code acl}. Any one permission bit of
     * {@code perm} is enough, so callers asking for "READ or ADMIN" pass both bits.
     */
    public boolean check(List<ACL> acl, int perm, List<Id> identities) {
        if (skipAcl || acl == null || acl.isEmpty()) {
            return true;
        }
        List<Id> ids = identities == null ? List.of() : identities;
        for (Id id : ids) {
            if (SUPER.equals(id.scheme())) {
                return true;
            }
        }
        for (ACL entry : acl) {
            if ((entry.perms() & perm) == 0 || entry.id() == null) {
                continue;
            }
            Id aclId = entry.id();
            if (WORLD.equals(aclId.scheme()) && ANYONE.equals(aclId.id())) {
                return true;
            }
            AuthenticationProvider provider = provider(aclId.scheme());
            if (provider == null) {
                continue;
            }
            for (Id id : ids) {
                if (aclId.scheme().equals(id.scheme()) && id.id() != null && aclId.id() != null
                        && provider.matches(id.id(), aclId.id())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Checks an ACL list from create or setACL and returns what is to be stored. As in ZooKeeper,
     * duplicates are dropped (first kept) before {@code auth} entries are expanded, one entry per
     * identity whose scheme proves a user; permission bits are stored as given, without checks.
     * Entries are checked in order and the first bad one decides.
     *
     * @throws MalformedAclException for an entry without an id under world, digest or ip
     */
    public List<ACL> fixupAcl(List<ACL> acl, List<Id> identities) throws InvalidAclException {
        if (acl == null || acl.isEmpty()) {
            throw new InvalidAclException("an ACL list must have at least one entry");
        }
        List<Id> ids = identities == null ? List.of() : identities;
        List<ACL> result = new ArrayList<>();
        for (ACL entry : new LinkedHashSet<>(acl)) {
            if (entry == null || entry.id() == null || entry.id().scheme() == null) {
                throw new InvalidAclException("ACL entry without a scheme: " + entry);
            }
            Id id = entry.id();
            if (id.id() == null && (WORLD.equals(id.scheme()) || provider(id.scheme()) != null)) {
                throw new MalformedAclException("ACL entry without an id: " + id.scheme());
            }
            if (WORLD.equals(id.scheme()) && ANYONE.equals(id.id())) {
                result.add(entry);
            } else if (AUTH.equals(id.scheme())) {
                boolean expanded = false;
                for (Id held : ids) {
                    AuthenticationProvider provider = provider(held.scheme());
                    if (provider != null && provider.isAuthenticated()) {
                        result.add(new ACL(entry.perms(), held));
                        expanded = true;
                    }
                }
                if (!expanded) {
                    throw new InvalidAclException("auth ACL entry but the connection has no authenticated identity");
                }
            } else {
                AuthenticationProvider provider = provider(id.scheme());
                if (provider == null) {
                    throw new InvalidAclException("unknown ACL scheme or id: " + id.scheme() + ":" + id.id());
                }
                if (id.id() == null || !provider.isValid(id.id())) {
                    throw new InvalidAclException("invalid " + id.scheme() + " ACL id: " + id.id());
                }
                result.add(entry);
            }
        }
        return result;
    }

    /**
     * What getACL returns to a caller without ADMIN: digest ids lose their hash ({@code user:x}),
     * so that a reader cannot take the hash away and attack it offline.
     */
    public static List<ACL> maskDigests(List<ACL> acl) {
        List<ACL> masked = new ArrayList<>(acl.size());
        for (ACL entry : acl) {
            Id id = entry.id();
            if (id != null && DigestAuthenticationProvider.SCHEME.equals(id.scheme()) && id.id() != null) {
                String user = DIGEST_SECRET.matcher(id.id()).replaceAll(":x");
                masked.add(new ACL(entry.perms(), new Id(id.scheme(), user)));
            } else {
                masked.add(entry);
            }
        }
        return masked;
    }
}
