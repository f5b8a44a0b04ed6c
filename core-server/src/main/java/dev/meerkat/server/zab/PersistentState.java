package dev.meerkat.server.zab;

import java.util.List;

/**
 * What a server reads back from its disk when it starts: the hard state, the newest snapshot it
 * holds, and the log entries after that snapshot, in zxid order. The application restores its own
 * state from the same snapshot; the core then delivers the entries after it as they are known to be
 * committed.
 */
public record PersistentState(HardState hardState, Snapshot snapshot, List<Proposal> log) {
    public PersistentState {
        if (hardState == null || snapshot == null || log == null) {
            throw new IllegalArgumentException("null field");
        }
        log = List.copyOf(log);
    }

    public static PersistentState empty() {
        return new PersistentState(HardState.INITIAL, Snapshot.EMPTY, List.of());
    }
}
