package dev.meerkat.client;

import dev.meerkat.protocol.record.Stat;

/**
 * What getData returns. {@code data} is null for a node created with null data (ZooKeeper keeps
 * that distinction on the wire), otherwise the bytes as stored.
 */
public record NodeData(byte[] data, Stat stat) {
}
