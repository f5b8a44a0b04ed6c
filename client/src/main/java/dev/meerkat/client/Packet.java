package dev.meerkat.client;

import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.Record;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * One request from the moment a caller makes it until its result is known. Its future completes
 * on the I/O loop and nothing but the client itself is ever attached to it; callers get an
 * {@link EventFuture} completed on the event thread, or (blocking facade) wait on it directly.
 */
final class Packet<T> {
    /** Decides on the I/O loop, when the packet is handed over, what to send, or completes it locally. */
    @FunctionalInterface
    interface Preparer {
        /** @return false if the packet has been completed and nothing is to be sent */
        boolean prepare(Packet<?> packet);
    }

    int opCode;
    Record request;
    final String path;
    final ReplyHandler<T> handler;
    final CompletableFuture<T> result = new CompletableFuture<>();
    /** Set for removeWatches, whose request depends on the watches present when it goes out. */
    Preparer preparer;
    /** Set for addAuthInfo, whose credentials outlive the packet. */
    SessionManager.Credential credential;
    int xid;
    private Semaphore slot;
    private boolean done;

    Packet(int opCode, Record request, String path, ReplyHandler<T> handler) {
        this.opCode = opCode;
        this.request = request;
        this.path = path;
        this.handler = handler;
    }

    synchronized void holdSlot(Semaphore slot) {
        this.slot = slot;
    }

    void complete(T value) {
        if (finish()) {
            result.complete(value);
        }
    }

    void fail(Throwable error) {
        if (finish()) {
            result.completeExceptionally(error);
        }
    }

    /** Completes with whatever the handler makes of a reply, or the error it throws. */
    void completeFrom(int err, JuteInput body) throws JuteException {
        T value;
        try {
            value = handler.handle(err, body);
        } catch (MeerkatException e) {
            fail(e);
            return;
        }
        complete(value);
    }

    /** The slot goes back before anyone hears of the result, so a waiting caller can proceed. */
    private synchronized boolean finish() {
        if (done) {
            return false;
        }
        done = true;
        if (slot != null) {
            slot.release();
            slot = null;
        }
        return true;
    }

    /** The exception for a non-zero reply code. */
    static MeerkatException error(int err, String path) {
        Code code = codeOf(err);
        return code == null
                ? MeerkatException.of(Code.SYSTEMERROR, path, "the server sent unknown error code " + err)
                : MeerkatException.of(code, path);
    }

    /** The code for a wire value, or null for one ZooKeeper does not define. */
    static Code codeOf(int err) {
        for (Code c : Code.values()) {
            if (c.intValue() == err) {
                return c;
            }
        }
        return null;
    }

    /** Fails with the exception for {@code err} unless it is OK. */
    static void check(int err, String path) throws MeerkatException {
        if (err != 0) {
            throw error(err, path);
        }
    }
}
