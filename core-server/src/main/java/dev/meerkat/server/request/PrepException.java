package dev.meerkat.server.request;

import dev.meerkat.protocol.Code;

/** A request that cannot become a txn; carries the error code the client gets. */
final class PrepException extends Exception {
    private final Code code;

    PrepException(Code code) {
        super(code.message(), null, false, false);
        this.code = code;
    }

    Code code() {
        return code;
    }
}
