package dev.meerkat.server.request;

import dev.meerkat.protocol.record.Id;
import dev.meerkat.server.txn.Txn;
import dev.meerkat.server.txn.TxnHeader;

import java.nio.file.Path;
import java.util.List;

/**
 * The request processor's view of the ensemble it belongs to (the quorum shell implements it).
 * Every method is called on the processor's thread and never blocks; messages to other servers may
 * be lost when a connection breaks, which the ensemble answers by closing this server's clients.
 */
public interface EnsembleMember {
    int myid();

    /** This server is the leader, serving: it prepares and proposes every txn. */
    boolean leads();

    /** The zxid the next {@link #propose} gets; only while {@link #leads()}. */
    long nextZxid();

    /** Replicates a prepared txn; it comes back through {@link RequestProcessor#applyCommitted} once committed. */
    void propose(TxnHeader header, Txn txn);

    /** Sends a client's write to the leader, which prepares it with the client's identities. */
    void forward(long sessionId, int cxid, int type, byte[] body, List<Id> authInfo);

    /** Asks the leader to propose a session this server opened. */
    void forwardCreateSession(long sessionId, int timeout, byte[] passwd);

    /** Asks the leader how far it has proposed, for a client's sync(). */
    void forwardSync(long sessionId, int cxid);

    /** The leader's answer to {@link #forwardSync}. */
    void replySync(int to, long sessionId, int cxid, long zxid);

    /** Tells every other server that a client re-attached to this session here. */
    void attached(long sessionId);

    /** Tells the leader these sessions' clients are alive. */
    void touch(long[] sessionIds);

    /** A snapshot of the tree through {@code zxid} (fuzzy: replay after it) is on disk. */
    void snapshotWritten(long zxid, Path file);
}
