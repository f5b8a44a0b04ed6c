package dev.meerkat.server.auth;

/** An ACL list given to create or setACL cannot be stored; the client gets INVALIDACL. */
public class InvalidAclException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidAclException(String message) {
        super(message);
    }
}
