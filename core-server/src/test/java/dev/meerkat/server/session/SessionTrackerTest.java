package dev.meerkat.server.session;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionTrackerTest {
    private static final int TICK = 2000;
    private static final long SEED = 0x12_3456_789AL;

    @Test
    void sessionIdCarriesServerIdInTopByteAndStartupClockBelowIt() {
        SessionTracker tracker = new SessionTracker(TICK, 1, SEED);

        long first = tracker.createSession(4000, 0).id();
        long second = tracker.createSession(4000, 0).id();

        assertThat(first >>> 56).isEqualTo(1);
        assertThat(first).isEqualTo((1L << 56) | ((SEED << 24) >>> 8));
        assertThat(first).isEqualTo(0x0112_3456_789A_0000L);
        assertThat(second).isEqualTo(first + 1);
    }

    @Test
    void idsAreUniqueAcrossManySessions() {
        SessionTracker tracker = new SessionTracker(TICK, 3, SEED);
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            ids.add(tracker.createSession(4000, i).id());
        }
        assertThat(ids).hasSize(5000);
        assertThat(tracker.size()).isEqualTo(5000);
    }

    @Test
    void neverHandsOutZeroOrTheContainerMarker() {
        SessionTracker zeroBase = new SessionTracker(TICK, 0, 0);
        assertThat(zeroBase.createSession(4000, 0).id()).isEqualTo(1);

        // Server id 128 with a zero seed would start exactly at 0x8000000000000000.
        SessionTracker markerBase = new SessionTracker(TICK, 128, 0);
        assertThat(markerBase.createSession(4000, 0).id()).isEqualTo(Long.MIN_VALUE + 1);
        assertThat(markerBase.createSession(4000, 0).id()).isEqualTo(Long.MIN_VALUE + 2);
    }

    @Test
    void restoringOneOfOurOwnIdsMovesTheCounterPastIt() {
        SessionTracker tracker = new SessionTracker(TICK, 1, SEED);
        long base = SessionTracker.initialSessionId(1, SEED);

        tracker.restoreSession(base + 10, 6000, new byte[16], 0);

        assertThat(tracker.createSession(4000, 0).id()).isEqualTo(base + 11);
    }

    @Test
    void restoringAnotherServersIdLeavesTheCounterAlone() {
        SessionTracker tracker = new SessionTracker(TICK, 1, SEED);
        long base = SessionTracker.initialSessionId(1, SEED);

        tracker.restoreSession(SessionTracker.initialSessionId(2, SEED) + 500, 6000, new byte[16], 0);
        tracker.restoreSession(base - 5, 6000, new byte[16], 0);

        assertThat(tracker.createSession(4000, 0).id()).isEqualTo(base);
    }

    @Test
    void counterBumpWorksForServerIdsThatMakeNegativeIds() {
        SessionTracker tracker = new SessionTracker(TICK, 200, SEED);
        long base = SessionTracker.initialSessionId(200, SEED);
        assertThat(base).isNegative();

        tracker.restoreSession(base + 3, 6000, new byte[16], 0);

        assertThat(tracker.createSession(4000, 0).id()).isEqualTo(base + 4);
    }

    @Test
    void restoredSessionKeepsItsPasswordAndIsScheduled() {
        SessionTracker tracker = new SessionTracker(TICK, 1, SEED);
        byte[] password = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

        Session session = tracker.restoreSession(42, 4000, password, 1000);
        password[0] = 99;

        assertThat(tracker.checkPassword(42, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}))
                .isTrue();
        assertThat(session.timeout()).isEqualTo(4000);
        assertThat(session.expiryTime()).isEqualTo(6000);
        assertThat(tracker.buckets()).containsEntry(6000L, List.of(42L));
    }

    @Test
    void passwordIsSixteenRandomBytesCheckedExactly() {
        SessionTracker tracker = new SessionTracker(TICK, 1, SEED);
        Session a = tracker.createSession(4000, 0);
        Session b = tracker.createSession(4000, 0);
        byte[] password = a.password();

        assertThat(password).hasSize(16);
        assertThat(password).isNotEqualTo(b.password());
        assertThat(tracker.checkPassword(a.id(), password)).isTrue();
        assertThat(tracker.checkPassword(b.id(), password)).isFalse();

        byte[] wrong = password.clone();
        wrong[15] ^= 1;
        assertThat(tracker.checkPassword(a.id(), wrong)).isFalse();
        assertThat(tracker.checkPassword(a.id(), new byte[16])).isFalse();
        assertThat(tracker.checkPassword(a.id(), java.util.Arrays.copyOf(password, 15))).isFalse();
        assertThat(tracker.checkPassword(a.id(), null)).isFalse();
        assertThat(tracker.checkPassword(12345, password)).isFalse();
    }

    @Test
    void changingTheReturnedPasswordDoesNotChangeTheSession() {
        SessionTracker tracker = new SessionTracker(TICK, 1, SEED);
        Session session = tracker.createSession(4000, 0);
        byte[] original = session.password();

        session.password()[0] ^= 0x7f;

        assertThat(tracker.checkPassword(session.id(), original)).isTrue();
    }

    @Test
    void closingSessionFailsThePasswordCheck() {
        SessionTracker tracker = new SessionTracker(TICK, 1, SEED);
        Session session = tracker.createSession(4000, 0);

        tracker.setClosing(session.id());

        assertThat(tracker.checkPassword(session.id(), session.password())).isFalse();
    }

    @Test
    void sessionExpiresAtTheTickAfterItsTimeout() {
        SessionTracker tracker = new SessionTracker(TICK, 1, SEED);
        Session session = tracker.createSession(4000, 0);

        // ZooKeeper rounds to the *next* tick even on a boundary: 0 + 4000 lands in bucket 6000.
        assertThat(session.expiryTime()).isEqualTo(6000);
        assertThat(tracker.nextExpiryTime()).isEqualTo(6000);
        assertThat(tracker.expire(5999)).isEmpty();
        assertThat(tracker.isValid(session.id())).isTrue();

        assertThat(tracker.expire(6000)).containsExactly(session);
        assertThat(session.isClosing()).isTrue();
        assertThat(tracker.isValid(session.id())).isFalse();
        assertThat(tracker.get(session.id())).isSameAs(session);
    }

    @Test
    void bucketIsRoundedUpFromAnOffTickTime() {
        SessionTracker tracker = new SessionTracker(TICK, 1, SEED);

        assertThat(tracker.createSession(4000, 1000).expiryTime()).isEqualTo(6000);
        assertThat(tracker.createSession(4000, 1999).expiryTime()).isEqualTo(6000);
        assertThat(tracker.createSession(4000, 2000).expiryTime()).isEqualTo(8000);
        assertThat(tracker.createSession(5000, 0).expiryTime()).isEqualTo(6000);
    }

    @Test
    void expireReturnsEachSessionOnlyOnce() {
        SessionTracker tracker = new SessionTracker(TICK, 1, SEED);
        Session session = tracker.createSession(4000, 0);

        assertThat(tracker.expire(10_000)).containsExactly(session);
        assertThat(tracker.expire(10_000)).isEmpty();
        assertThat(tracker.expire(20_000)).isEmpty();
        assertThat(tracker.nextExpiryTime()).isEqualTo(Long.MAX_VALUE);
        assertThat(tracker.touch(session.id(), 20_000)).isFalse();
        assertThat(tracker.expire(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void touchPostponesExpiry() {
        SessionTracker tracker = new SessionTracker(TICK, 1, SEED);
        Session session = tracker.createSession(4000, 0);

        assertThat(tracker.touch(session.id(), 3000)).isTrue();

        assertThat(session.expiryTime()).isEqualTo(8000);
        assertThat(tracker.buckets()).containsOnlyKeys(8000L);
        assertThat(tracker.expire(6000)).isEmpty();
        assertThat(tracker.expire(7999)).isEmpty();
        assertThat(tracker.expire(8000)).containsExactly(session);
    }

    @Test
    void touchWithinTheSameTickKeepsTheBucket() {
        SessionTracker tracker = new SessionTracker(TICK, 1, SEED);
        Session session = tracker.createSession(4000, 0);

        tracker.touch(session.id(), 1500);

        assertThat(session.expiryTime()).isEqualTo(6000);
        assertThat(tracker.buckets()).containsExactly(Map.entry(6000L, List.of(session.id())));
    }

    @Test
    void touchFailsForUnknownAndClosingSessions() {
        SessionTracker tracker = new SessionTracker(TICK, 1, SEED);
        Session session = tracker.createSession(4000, 0);
        tracker.setClosing(session.id());

        assertThat(tracker.touch(999, 0)).isFalse();
        assertThat(tracker.touch(session.id(), 3000)).isFalse();
        assertThat(session.expiryTime()).isEqualTo(6000);
    }

    @Test
    void expiresSeveralBucketsInTimeOrder() {
        SessionTracker tracker = new SessionTracker(TICK, 1, SEED);
        Session late = tracker.createSession(10_000, 0);
        Session early = tracker.createSession(4000, 0);
        Session middle = tracker.createSession(6000, 0);
        Session notYet = tracker.createSession(20_000, 0);

        assertThat(tracker.expire(12_000)).containsExactly(early, middle, late);
        assertThat(tracker.isValid(notYet.id())).isTrue();
        assertThat(tracker.nextExpiryTime()).isEqualTo(22_000);
    }

    @Test
    void alreadyClosingSessionIsDroppedFromItsBucketButNotExpiredAgain() {
        SessionTracker tracker = new SessionTracker(TICK, 1, SEED);
        Session closing = tracker.createSession(4000, 0);
        Session idle = tracker.createSession(4000, 0);
        tracker.setClosing(closing.id());

        assertThat(tracker.buckets()).containsEntry(6000L, List.of(closing.id(), idle.id()));
        assertThat(tracker.expire(6000)).containsExactly(idle);
        assertThat(tracker.buckets()).isEmpty();
        assertThat(tracker.size()).isEqualTo(2);
    }

    @Test
    void removeForgetsTheSessionAndItsBucket() {
        SessionTracker tracker = new SessionTracker(TICK, 1, SEED);
        Session session = tracker.createSession(4000, 0);
        Session other = tracker.createSession(4000, 0);

        assertThat(tracker.remove(session.id())).isSameAs(session);

        assertThat(tracker.get(session.id())).isNull();
        assertThat(tracker.isValid(session.id())).isFalse();
        assertThat(tracker.size()).isEqualTo(1);
        assertThat(tracker.buckets()).containsExactly(Map.entry(6000L, List.of(other.id())));
        assertThat(tracker.expire(6000)).containsExactly(other);
        assertThat(tracker.remove(session.id())).isNull();
    }

    @Test
    void removingTheLastSessionOfABucketDropsTheBucket() {
        SessionTracker tracker = new SessionTracker(TICK, 1, SEED);
        Session session = tracker.createSession(4000, 0);

        tracker.remove(session.id());

        assertThat(tracker.buckets()).isEmpty();
        assertThat(tracker.nextExpiryTime()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void newTimeoutAppliesFromTheNextTouch() {
        SessionTracker tracker = new SessionTracker(TICK, 1, SEED);
        Session session = tracker.createSession(4000, 0);

        tracker.setTimeout(session.id(), 20_000);
        assertThat(session.timeout()).isEqualTo(20_000);
        assertThat(session.expiryTime()).isEqualTo(6000);

        tracker.touch(session.id(), 1000);
        assertThat(session.expiryTime()).isEqualTo(22_000);
        assertThat(tracker.expire(20_000)).isEmpty();
    }

    @Test
    void shorterTimeoutCanMoveASessionToAnEarlierBucket() {
        SessionTracker tracker = new SessionTracker(TICK, 1, SEED);
        Session session = tracker.createSession(40_000, 0);

        tracker.setTimeout(session.id(), 4000);
        tracker.touch(session.id(), 0);

        assertThat(tracker.buckets()).containsOnlyKeys(6000L);
        assertThat(tracker.expire(6000)).containsExactly(session);
    }

    @Test
    void bucketsSnapshotIsNotLive() {
        SessionTracker tracker = new SessionTracker(TICK, 1, SEED);
        Session session = tracker.createSession(4000, 0);
        var snapshot = tracker.buckets();

        tracker.touch(session.id(), 5000);

        assertThat(snapshot).containsOnlyKeys(6000L);
        assertThat(tracker.buckets()).containsOnlyKeys(10_000L);
        assertThatThrownBy(() -> snapshot.put(1L, List.of())).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void sessionsViewListsEverySessionIncludingClosingOnes() {
        SessionTracker tracker = new SessionTracker(TICK, 1, SEED);
        Session a = tracker.createSession(4000, 0);
        Session b = tracker.createSession(8000, 0);
        tracker.setClosing(a.id());

        assertThat(tracker.sessions()).containsExactly(a, b);
        assertThatThrownBy(() -> tracker.sessions().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void negotiateTimeoutClampsToTheConfiguredRange() {
        assertThat(SessionTracker.negotiateTimeout(100_000, 4000, 40_000)).isEqualTo(40_000);
        assertThat(SessionTracker.negotiateTimeout(1000, 4000, 40_000)).isEqualTo(4000);
        assertThat(SessionTracker.negotiateTimeout(30_000, 4000, 40_000)).isEqualTo(30_000);
        assertThat(SessionTracker.negotiateTimeout(0, 4000, 40_000)).isEqualTo(4000);
        // ZooKeeper applies the maximum last, so it wins a misconfigured range.
        assertThat(SessionTracker.negotiateTimeout(1000, 50_000, 40_000)).isEqualTo(40_000);
    }

    @Test
    void rejectsNonsenseArguments() {
        assertThatThrownBy(() -> new SessionTracker(0, 1, SEED)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SessionTracker(TICK, 256, SEED)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SessionTracker(TICK, -1, SEED)).isInstanceOf(IllegalArgumentException.class);
        SessionTracker tracker = new SessionTracker(TICK, 1, SEED);
        assertThatThrownBy(() -> tracker.createSession(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tracker.restoreSession(5, 4000, null, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
