package dev.meerkat.server.zab;

/** A message for the server whose myid is {@code to}. */
public record Envelope(int to, Message message) {
}
