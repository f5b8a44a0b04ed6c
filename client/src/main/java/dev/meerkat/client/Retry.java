package dev.meerkat.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs an operation again, with exponential backoff, when it fails with an outcome-unknown error:
 * ConnectionLoss or OperationTimeout. Every other error, SessionExpired included, ends the retries
 * at once, since trying again cannot change it.
 *
 * <pre>{@code
 * Retry retry = Retry.defaults();
 * CompletableFuture<NodeData> config = retry.run(() -> client.getData("/config"));
 * }</pre>
 *
 * <h2>Only for idempotent operations</h2>
 * A request that failed with ConnectionLoss may have been applied before the connection dropped.
 * Reads, sync, setData/delete/setACL with an explicit version (a second attempt fails with
 * BadVersion or NoNode, which the caller can recognise), and unconditional setData of the same
 * value are safe to repeat. Others need care:
 * <ul>
 *   <li><b>create</b> may have happened: a retry then fails with NodeExists, which for a fixed name
 *       is the answer "it exists" (check the data or the ephemeralOwner if that matters). A
 *       <b>sequential</b> create cannot be retried blindly, because a second attempt makes a second
 *       node: put a unique marker in the name ({@code "lock-" + uuid + "-"}, a "protected" name as
 *       Curator calls it), and after ConnectionLoss look for a child carrying the marker with
 *       {@code getChildren} before creating again.</li>
 *   <li><b>delete</b> without a version may have happened: a retry fails with NoNode, which is the
 *       desired state.</li>
 *   <li><b>setData</b> without a version that increments or appends is not idempotent: read the
 *       version, write with it, and on BadVersion read again.</li>
 *   <li>A <b>transaction</b> is all or nothing; make it idempotent with a {@code check} of the
 *       version it is based on, so that a repeat fails with BadVersion instead of applying twice.</li>
 * </ul>
 */
public final class Retry {
    private final int maxAttempts;
    private final Duration initialDelay;
    private final Duration maxDelay;

    private Retry(int maxAttempts, Duration initialDelay, Duration maxDelay) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= initialDelay <= maxDelay");
        }
        this.maxAttempts = maxAttempts;
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
    }

    /**
     * Up to {@code maxAttempts} attempts in all; before attempt n+1 it waits a random time between
     * half and all of {@code initialDelay × 2^(n-1)}, capped at {@code maxDelay}. The randomness
     * keeps clients that failed together from retrying together.
     */
    public static Retry exponentialBackoff(int maxAttempts, Duration initialDelay, Duration maxDelay) {
        return new Retry(maxAttempts, initialDelay, maxDelay);
    }

    /** 5 attempts, from 100 ms up to 2 s between them: enough to ride out a reconnect. */
    public static Retry defaults() {
        return new Retry(5, Duration.ofMillis(100), Duration.ofSeconds(2));
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** Whether a failure is one that a retry may cure: ConnectionLoss or OperationTimeout. */
    public static boolean isRetryable(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof MeerkatException m && m.isOutcomeUnknown();
    }

    /** The wait before attempt {@code attempt + 1}, given that attempt {@code attempt} (1-based) failed. */
    Duration delayAfter(int attempt) {
        long base = initialDelay.toNanos();
        long cap = maxDelay.toNanos();
        long delay = base;
        for (int i = 1; i < attempt && delay < cap; i++) {
            delay = delay > cap / 2 ? cap : delay * 2;
        }
        delay = Math.min(delay, cap);
        long half = delay / 2;
        return Duration.ofNanos(half + (delay - half == 0 ? 0 : ThreadLocalRandom.current().nextLong(delay - half + 1)));
    }

    /**
     * Calls {@code operation} until it succeeds, fails with an error that is not retryable, or the
     * attempts run out; the returned future then completes like the last attempt (failures
     * unwrapped from CompletionException). Waits happen on a timer, not on the caller's thread.
     */
    public <T> CompletableFuture<T> run(Supplier<? extends CompletionStage<T>> operation) {
        Objects.requireNonNull(operation, "operation");
        CompletableFuture<T> result = new CompletableFuture<>();
        attempt(operation, 1, result);
        return result;
    }

    private <T> void attempt(Supplier<? extends CompletionStage<T>> operation, int n, CompletableFuture<T> result) {
        CompletionStage<T> stage;
        try {
            stage = operation.get();
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        stage.whenComplete((value, error) -> {
            if (error == null) {
                result.complete(value);
                return;
            }
            Throwable cause = unwrap(error);
            if (n >= maxAttempts || !isRetryable(cause)) {
                result.completeExceptionally(cause);
                return;
            }
            long delay = delayAfter(n).toNanos();
            CompletableFuture.delayedExecutor(delay, TimeUnit.NANOSECONDS)
                    .execute(() -> attempt(operation, n + 1, result));
        });
    }

    /** A blocking operation, such as a call on {@link BlockingMeerkat}. */
    @FunctionalInterface
    public interface BlockingOperation<T> {
        T call() throws MeerkatException, InterruptedException;
    }

    /** {@link #run} for blocking code: sleeps between attempts on the calling thread. */
    public <T> T call(BlockingOperation<T> operation) throws MeerkatException, InterruptedException {
        Objects.requireNonNull(operation, "operation");
        for (int n = 1; ; n++) {
            try {
                return operation.call();
            } catch (MeerkatException e) {
                if (n >= maxAttempts || !e.isOutcomeUnknown()) {
                    throw e;
                }
                TimeUnit.NANOSECONDS.sleep(delayAfter(n).toNanos());
            }
        }
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
