package dev.meerkat.client;

import org.awaitility.Awaitility;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A connection-state listener that keeps every state it heard and the thread it heard it on. */
final class StateRecorder implements ConnectionStateListener {
    final List<ConnectionState> states = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public void stateChanged(ConnectionState newState) {
        threads.add(Thread.currentThread().getName());
        states.add(newState);
    }

    /** Waits until {@code state} has been heard {@code times} times in all. */
    void awaitCount(ConnectionState state, int times) {
        Awaitility.await().until(() -> states.stream().filter(s -> s == state).count() >= times);
    }

    void await(ConnectionState state) {
        awaitCount(state, 1);
    }
}
