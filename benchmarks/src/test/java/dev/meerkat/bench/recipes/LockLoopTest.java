package dev.meerkat.bench.recipes;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The loop itself, on an in-process lock: what it counts and how it ends. */
class LockLoopTest {

    /** A fair in-process lock shared by the contenders, counting what the loop asked of it. */
    private static final class Shared {
        final Semaphore permit = new Semaphore(1, true);
        final AtomicLong acquires = new AtomicLong();
        final AtomicLong releases = new AtomicLong();

        LockKind.Contender contender(long failAfter) {
            AtomicLong mine = new AtomicLong();
            return new LockKind.Contender() {
                @Override
                public void acquire() throws Exception {
                    if (mine.incrementAndGet() > failAfter) {
                        throw new IllegalStateException("contender broke");
                    }
                    permit.acquire();
                    acquires.incrementAndGet();
                }

                @Override
                public void release() {
                    releases.incrementAndGet();
                    permit.release();
                }

                @Override
                public void close() {
                }
            };
        }
    }

    @Test
    void countsEveryCycleOnceAndOnlyThoseOfTheMeasuredPeriod() throws Exception {
        Shared lock = new Shared();
        List<LockKind.Contender> contenders = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            contenders.add(lock.contender(Long.MAX_VALUE));
        }
        LockLoop.Result r = LockLoop.run("fake", contenders, Duration.ofMillis(100), Duration.ofMillis(300));

        assertThat(r.violations()).isZero();
        assertThat(r.contenders()).isEqualTo(4);
        assertThat(r.cycles()).isPositive();
        // the warm-up's cycles (and the tail after the period) are done but not counted
        assertThat(r.totalCycles()).isEqualTo(lock.acquires.get()).isEqualTo(lock.releases.get())
                .isGreaterThan(r.cycles());
        assertThat(r.perContender()).hasSize(4);
        assertThat(r.perContender().stream().mapToLong(Long::longValue).sum()).isEqualTo(r.cycles());
        assertThat(r.acquireMicros().getTotalCount()).isPositive().isLessThanOrEqualTo(r.totalCycles());
        assertThat(r.seconds()).isEqualTo(0.3);
        assertThat(r.cyclesPerSecond()).isEqualTo(r.cycles() / 0.3);
        assertThat(r.wakeups()).isEqualTo(-1);
        assertThat(r.toMap()).containsEntry("violations", 0L).containsEntry("watchWakeups", null);
        assertThat(lock.permit.availablePermits()).isEqualTo(1);
    }

    @Test
    void aFailedContenderEndsTheRunWithItsFailure() {
        Shared lock = new Shared();
        List<LockKind.Contender> contenders = List.of(lock.contender(Long.MAX_VALUE), lock.contender(10));
        assertThatThrownBy(() -> LockLoop.run("fake", contenders, Duration.ZERO, Duration.ofMinutes(5)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("a contender failed")
                .hasRootCauseMessage("contender broke");
    }
}
