package dev.meerkat.server.auth;

import dev.meerkat.protocol.record.Id;

import java.net.InetAddress;
import java.util.List;

/** One ACL scheme: how a connection gets identities in it and how those identities match ACL entries. */
public interface AuthenticationProvider {

    /** The scheme name, as it appears in {@link Id#scheme()} and in addAuthInfo. */
    String scheme();

    /** The identities that the given credentials (an addAuthInfo payload) entitle a connection to. */
    List<Id> authenticate(byte[] authData, InetAddress remote) throws AuthFailedException;

    /** Whether an identity {@code id} of this scheme is granted by the ACL entry id {@code aclExpr}. */
    boolean matches(String id, String aclExpr);

    /** Whether {@code id} is well formed for an ACL entry of this scheme; if not, the ACL is INVALIDACL. */
    boolean isValid(String id);

    /**
     * Whether this scheme's identities prove who the user is, so that an {@code auth} ACL entry is
     * expanded into them. An address is not a user, so ip says no.
     */
    boolean isAuthenticated();
}
