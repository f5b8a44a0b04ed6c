package dev.meerkat.server.txn;

import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.record.Stat;

import java.util.List;

/**
 * What applying a txn did, for building the reply.
 *
 * @param err a {@link Code} int value; for a multi, the first failing sub-result's code
 * @param path the path the txn was about (null for session, error and multi txns)
 * @param stat the node's client-view Stat after the change; null for delete, check, session,
 *     error and multi txns, and on failure
 * @param multiResults one result per sub-txn for a multi, else null
 */
public record ProcessTxnResult(int err, String path, Stat stat, List<ProcessTxnResult> multiResults) {
    public ProcessTxnResult {
        if (multiResults != null) {
            multiResults = List.copyOf(multiResults);
        }
    }

    public boolean ok() {
        return err == Code.OK.intValue();
    }
}
