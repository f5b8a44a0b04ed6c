package dev.meerkat.server.txn;

import java.util.Objects;

/** A version check inside a multi. It was decided when the txn was built; applying it changes nothing. */
public record CheckVersionTxn(String path, int version) implements Txn {
    public CheckVersionTxn {
        Objects.requireNonNull(path, "path");
    }
}
