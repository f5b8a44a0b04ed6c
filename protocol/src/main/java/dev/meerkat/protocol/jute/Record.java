package dev.meerkat.protocol.jute;

/**
 * A jute record. Each implementation also has a {@code static T read(JuteInput)} that reads the
 * fields in the same wire order that {@link #write} writes them.
 */
public interface Record {
    void write(JuteOutput out);
}
