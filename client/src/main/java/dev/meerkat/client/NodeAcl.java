package dev.meerkat.client;

import dev.meerkat.protocol.record.ACL;
import dev.meerkat.protocol.record.Stat;

import java.util.List;

/** What getACL returns: the node's ACL and its Stat (whose aversion setACL checks). */
public record NodeAcl(List<ACL> acl, Stat stat) {
}
