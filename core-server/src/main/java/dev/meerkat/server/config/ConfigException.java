package dev.meerkat.server.config;

/** The server configuration cannot be used; the message names the key and the value at fault. */
public class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
