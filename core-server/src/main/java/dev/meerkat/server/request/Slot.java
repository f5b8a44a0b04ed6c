package dev.meerkat.server.request;

import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.jute.Record;

/**
 * A request's place in its connection's reply order. Replies leave strictly in arrival order, so a
 * read that arrives while an earlier write of the same connection waits for its fsync waits too
 * (and then sees that write), and an error found at once still queues behind earlier replies.
 */
public final class Slot {
    final Request request;
    /** Executed when it reaches the head: reads and other requests answered from the tree. */
    final boolean local;
    boolean done;
    Code code;
    Record body;
    long zxid = -1;
    boolean closeAfter;

    private Slot(Request request, boolean local) {
        this.request = request;
        this.local = local;
    }

    static Slot local(Request request) {
        return new Slot(request, true);
    }

    static Slot write(Request request) {
        return new Slot(request, false);
    }

    void complete(Code code, Record body, long zxid) {
        this.code = code;
        this.body = body;
        this.zxid = zxid;
        this.done = true;
    }
}
