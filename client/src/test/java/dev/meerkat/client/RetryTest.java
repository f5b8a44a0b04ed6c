package dev.meerkat.client;

import dev.meerkat.protocol.Code;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryTest {
    private static final Retry FAST = Retry.exponentialBackoff(4, Duration.ofMillis(1), Duration.ofMillis(4));

    private static CompletableFuture<String> failing(Code code) {
        return CompletableFuture.failedFuture(MeerkatException.of(code, "/x"));
    }

    @Test
    void connectionLossAndTimeoutsAreRetriedUntilSuccess() throws Exception {
        AtomicInteger calls = new AtomicInteger();

        String result = FAST.run(() -> switch (calls.incrementAndGet()) {
            case 1 -> failing(Code.CONNECTIONLOSS);
            case 2 -> failing(Code.OPERATIONTIMEOUT);
            default -> CompletableFuture.completedFuture("ok");
        }).get(10, TimeUnit.SECONDS);

        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(3);
    }

    @Test
    void otherErrorsEndTheRetriesAtOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();

        CompletableFuture<String> f = FAST.run(() -> {
            calls.incrementAndGet();
            return failing(Code.SESSIONEXPIRED);
        });

        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(MeerkatException.SessionExpired.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void theLastFailureIsReportedWhenTheAttemptsRunOut() throws Exception {
        AtomicInteger calls = new AtomicInteger();

        CompletableFuture<String> f = FAST.run(() -> {
            calls.incrementAndGet();
            // a future failing through a stage wraps its cause; the retry still sees ConnectionLoss
            return failing(Code.CONNECTIONLOSS).thenApply(s -> s);
        });

        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOf(MeerkatException.ConnectionLoss.class);
        assertThat(calls).hasValue(4);
    }

    @Test
    void blockingCallsAreRetriedTheSameWay() throws Exception {
        AtomicInteger calls = new AtomicInteger();

        int result = FAST.call(() -> {
            if (calls.incrementAndGet() < 3) {
                throw MeerkatException.of(Code.CONNECTIONLOSS, "/x");
            }
            return 42;
        });

        assertThat(result).isEqualTo(42);
        assertThatThrownBy(() -> FAST.call(() -> {
            throw MeerkatException.of(Code.NONODE, "/x");
        })).isInstanceOf(MeerkatException.NoNode.class);
    }

    @Test
    void delaysDoubleUpToTheCapWithJitterOfAtMostHalf() {
        Retry r = Retry.exponentialBackoff(10, Duration.ofMillis(100), Duration.ofMillis(1000));

        for (int i = 0; i < 50; i++) {
            assertThat(r.delayAfter(1)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
            assertThat(r.delayAfter(2)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
            assertThat(r.delayAfter(4)).isBetween(Duration.ofMillis(400), Duration.ofMillis(800));
            assertThat(r.delayAfter(9)).isBetween(Duration.ofMillis(500), Duration.ofMillis(1000));
        }
    }

    @Test
    void onlyOutcomeUnknownErrorsAreRetryable() {
        assertThat(Retry.isRetryable(MeerkatException.of(Code.CONNECTIONLOSS, null))).isTrue();
        assertThat(Retry.isRetryable(new CompletionException(MeerkatException.of(Code.OPERATIONTIMEOUT, null))))
                .isTrue();
        assertThat(Retry.isRetryable(MeerkatException.of(Code.NODEEXISTS, "/a"))).isFalse();
        assertThat(Retry.isRetryable(new IllegalArgumentException())).isFalse();
    }
}
