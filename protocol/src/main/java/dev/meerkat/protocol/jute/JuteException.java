package dev.meerkat.protocol.jute;

import java.io.IOException;

/** A record that cannot be decoded: truncated, or a length that makes no sense. */
public class JuteException extends IOException {
    public JuteException(String message) {
        super(message);
    }
}
