package dev.meerkat.client;

import dev.meerkat.protocol.record.Stat;

import java.util.List;

/**
 * What getChildrenWithStat returns: the child names (not paths), in the server's order, which is
 * unspecified; and the Stat of the parent.
 */
public record Children(List<String> names, Stat stat) {
}
