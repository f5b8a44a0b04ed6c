package dev.meerkat.server.quorum;

import dev.meerkat.protocol.record.Id;
import dev.meerkat.server.zab.Message;

import java.util.Arrays;
import java.util.List;

/**
 * What one server sends another: the ZAB core's own messages, and the few the request pipeline
 * needs across the ensemble (a follower's client writes and syncs go to the leader, which alone
 * prepares txns; the leader alone expires sessions, so the others tell it which sessions are alive).
 */
public sealed interface PeerMessage {

    /** A message of the ZAB core, passed through unchanged. */
    record Zab(Message message) implements PeerMessage {
    }

    /**
     * A client's write (or closeSession) on a follower, for the leader to prepare and propose.
     *
     * @param body the request record as the client sent it (jute), empty for closeSession
     * @param authInfo the identities the client's connection holds, which the leader's ACL checks use
     */
    record Forward(long sessionId, int cxid, int type, byte[] body, List<Id> authInfo) implements PeerMessage {
        public Forward {
            authInfo = List.copyOf(authInfo);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Forward f && f.sessionId == sessionId && f.cxid == cxid && f.type == type
                    && Arrays.equals(f.body, body) && f.authInfo.equals(authInfo);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(sessionId) * 31 + cxid;
        }
    }

    /** A new session opened on a follower, which picked its id and password; the leader proposes it. */
    record CreateSession(long sessionId, int timeout, byte[] passwd) implements PeerMessage {
        @Override
        public boolean equals(Object o) {
            return o instanceof CreateSession c && c.sessionId == sessionId && c.timeout == timeout
                    && Arrays.equals(c.passwd, passwd);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(sessionId);
        }
    }

    /** Sessions whose clients a follower or observer heard from since its last Touch. */
    record Touch(long[] sessionIds) implements PeerMessage {
        @Override
        public boolean equals(Object o) {
            return o instanceof Touch t && Arrays.equals(t.sessionIds, sessionIds);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(sessionIds);
        }
    }

    /** A client's sync() on a follower: the leader answers with how far it has proposed. */
    record SyncRequest(long sessionId, int cxid) implements PeerMessage {
    }

    /**
     * A client re-attached to {@code sessionId} at the sender: a server still holding an older
     * connection of that session closes it, as a standalone server closes the old connection when
     * the session moves to a new one.
     */
    record Attached(long sessionId) implements PeerMessage {
    }

    /** Every write proposed before the sync arrived has a zxid at or below {@code zxid}. */
    record SyncReply(long sessionId, int cxid, long zxid) implements PeerMessage {
    }
}
