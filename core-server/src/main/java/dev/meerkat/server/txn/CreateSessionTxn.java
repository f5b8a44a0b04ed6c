package dev.meerkat.server.txn;

import java.util.Arrays;

/**
 * A new session (header.sessionId()). It is replicated so every server knows the session; the
 * data tree itself is not touched.
 *
 * @param timeOut the negotiated timeout in milliseconds
 */
public record CreateSessionTxn(int timeOut, byte[] passwd) implements Txn {

    // Records compare arrays by reference; a txn decoded from the log must equal the one proposed.
    @Override
    public boolean equals(Object o) {
        return o instanceof CreateSessionTxn t && timeOut == t.timeOut && Arrays.equals(passwd, t.passwd);
    }

    @Override
    public int hashCode() {
        return 31 * timeOut + Arrays.hashCode(passwd);
    }

    @Override
    public String toString() {
        // The password is a credential: keep it out of logs.
        return "CreateSessionTxn[timeOut=" + timeOut + "]";
    }
}
