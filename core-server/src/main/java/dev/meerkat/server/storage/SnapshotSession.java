package dev.meerkat.server.storage;

import java.util.Arrays;
import java.util.Objects;

/**
 * A live session as a snapshot records it, enough to restore it into the session tracker: it then
 * expires on its normal timeout unless its client comes back.
 *
 * @param timeout the negotiated timeout in milliseconds
 */
public record SnapshotSession(long id, int timeout, byte[] password) {

    public SnapshotSession {
        Objects.requireNonNull(password, "password");
        password = password.clone();
    }

    /** A copy, so that nobody can change the stored secret. */
    @Override
    public byte[] password() {
        return password.clone();
    }

    // Records compare arrays by reference; a session read back must equal the one written.
    @Override
    public boolean equals(Object o) {
        return o instanceof SnapshotSession s && id == s.id && timeout == s.timeout && Arrays.equals(password, s.password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, timeout, Arrays.hashCode(password));
    }

    @Override
    public String toString() {
        // The password is a credential: keep it out of logs.
        return "SnapshotSession[0x" + Long.toHexString(id) + ", timeout=" + timeout + "]";
    }
}
