package dev.meerkat.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The futures the client hands out. They complete on the client's event thread, so blocking on
 * one from that very thread (inside a watcher or a callback) could never return; instead of
 * hanging, such a wait fails at once and says what to do. Stages derived from it carry the same
 * guard.
 */
final class EventFuture<T> extends CompletableFuture<T> {
    private final EventThread events;

    EventFuture(EventThread events) {
        this.events = events;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new EventFuture<>(events);
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        guard();
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        guard();
        return super.get(timeout, unit);
    }

    @Override
    public T join() {
        guard();
        return super.join();
    }

    private void guard() {
        if (!isDone() && events.isCurrentThread()) {
            throw new IllegalStateException("waiting for a Meerkat future on the client's own event thread "
                    + "would never return, because that thread completes it; chain with thenCompose/thenAccept, "
                    + "or use client.sync() for blocking calls");
        }
    }
}
