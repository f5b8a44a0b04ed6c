package dev.meerkat.server.auth;

/**
 * An ACL entry that ZooKeeper cannot even evaluate: no id under a scheme that reads one (world,
 * digest, ip). ZooKeeper fails such a request as a whole with MARSHALLINGERROR, not INVALIDACL,
 * because reading the missing id throws before any ACL rule is applied.
 */
public class MalformedAclException extends InvalidAclException {
    private static final long serialVersionUID = 1L;

    public MalformedAclException(String message) {
        super(message);
    }
}
