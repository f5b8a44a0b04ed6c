package dev.meerkat.server.auth;

/** An authentication attempt was refused; the server answers AUTHFAILED and closes the connection. */
public class AuthFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    public AuthFailedException(String message) {
        super(message);
    }
}
