package dev.meerkat.server.txn;

import dev.meerkat.protocol.OpCode;

/**
 * What every txn carries besides its body. Applying a txn reads the clock and the session only
 * from here, which is what makes replaying a log reproduce the same tree.
 *
 * @param sessionId the session that issued the request (the owner of ephemerals it creates, the
 *     session a {@link CloseSessionTxn} closes)
 * @param cxid the client's xid, echoed so the reply can be matched
 * @param zxid the txn's position in the total order
 * @param time wall-clock milliseconds chosen by the leader when the txn was built
 * @param type the {@link OpCode} of the request (e.g. CREATE2 vs CREATE decides the reply shape)
 */
public record TxnHeader(long sessionId, int cxid, long zxid, long time, int type) {
}
