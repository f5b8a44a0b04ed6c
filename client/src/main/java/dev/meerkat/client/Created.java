package dev.meerkat.client;

import dev.meerkat.protocol.record.Stat;

/** What create returns: the path actually created (with any sequence suffix) and its Stat. */
public record Created(String path, Stat stat) {
}
