package dev.meerkat.client;

import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.record.Stat;

import java.util.List;

/**
 * The outcome of one operation of a {@link Transaction} or {@link ReadTransaction}, in the order
 * the operations were added.
 */
public sealed interface OpResult {

    /** A create; {@code path} is the one actually created (sequence suffix included, chroot removed). */
    record CreateResult(String path, Stat stat) implements OpResult {
    }

    record DeleteResult() implements OpResult {
    }

    record SetDataResult(Stat stat) implements OpResult {
    }

    record CheckResult() implements OpResult {
    }

    /** A read of a {@link ReadTransaction}. */
    record GetDataResult(byte[] data, Stat stat) implements OpResult {
    }

    /** A read of a {@link ReadTransaction}: child names. */
    record GetChildrenResult(List<String> children) implements OpResult {
    }

    /**
     * An operation that did not take effect. In a failed transaction the operations before the
     * failing one report {@link Code#OK} (they were rolled back), the failing one its code, and the
     * ones after it {@link Code#RUNTIMEINCONSISTENCY} (they were not tried). In a read transaction
     * each read fails on its own.
     */
    record ErrorResult(Code code) implements OpResult {
    }
}
