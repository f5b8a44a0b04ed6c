package dev.meerkat.client;

import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.record.SyncResponse;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bound on outstanding requests, against a fake server that answers only when told to, so
 * that requests stay outstanding for as long as the test wants.
 */
class BackPressureTest {
    private static final byte[] PASSWORD = new byte[16];

    private final FakeServer fake = new FakeServer();
    private final List<MeerkatClient> clients = new ArrayList<>();
    private FakeServer.Conn conn;

    @AfterEach
    void stop() {
        fake.close();
        clients.forEach(MeerkatClient::close);
    }

    private MeerkatClient connect(int maxOutstanding, Duration slotWait) throws Exception {
        CompletableFuture<MeerkatClient> f = MeerkatClient.connect(fake.connectString(), ClientOptions.builder()
                .maxOutstandingRequests(maxOutstanding)
                .slotWaitTimeout(slotWait)
                .reconnectDelayMax(Duration.ZERO)
                .build());
        conn = fake.accept();
        conn.handshake(4_000, 77, PASSWORD);
        MeerkatClient c = f.get(10, TimeUnit.SECONDS);
        clients.add(c);
        return c;
    }

    @Test
    void aCallerBeyondTheBoundWaitsUntilAReplyFreesASlot() throws Exception {
        MeerkatClient c = connect(3, Duration.ofSeconds(10));
        List<FakeServer.Request> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            c.sync("/" + i);
            sent.add(conn.readRequestSkippingPings(1));
        }
        assertThat(c.freeSlots()).isZero();

        AtomicReference<CompletableFuture<Void>> fourth = new AtomicReference<>();
        Thread caller = new Thread(() -> fourth.set(c.sync("/3")), "fourth-caller");
        caller.start();
        Awaitility.await().until(() -> caller.getState() == Thread.State.TIMED_WAITING);
        assertThat(fourth.get()).isNull();

        conn.reply(sent.get(0).xid(), 1, 0, new SyncResponse("/0"));
        caller.join(10_000);
        FakeServer.Request next = conn.readRequestSkippingPings(1);

        assertThat(fourth.get()).isNotNull();
        assertThat(next.type()).isEqualTo(OpCode.SYNC);
        assertThat(next.read(SyncResponse::read).path()).isEqualTo("/3");
        assertThat(c.freeSlots()).isZero();
    }

    @Test
    void aCallerGivesUpWithOperationTimeoutWhenNoSlotFreesInTime() throws Exception {
        MeerkatClient c = connect(1, Duration.ofMillis(100));
        CompletableFuture<Void> first = c.sync("/first");
        conn.readRequestSkippingPings(1);

        CompletableFuture<Void> second = c.sync("/second");

        assertThat(second).failsWithin(Duration.ofSeconds(10))
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(MeerkatException.OperationTimeout.class);
        assertThat(first).isNotDone();
    }

    @Test
    void failedRequestsGiveTheirSlotsBack() throws Exception {
        MeerkatClient c = connect(2, Duration.ofSeconds(10));
        CompletableFuture<Void> a = c.sync("/a");
        CompletableFuture<Void> b = c.sync("/b");
        conn.readRequestSkippingPings(1);
        conn.readRequestSkippingPings(1);

        conn.close();

        assertThat(a).failsWithin(Duration.ofSeconds(10));
        assertThat(b).failsWithin(Duration.ofSeconds(10));
        assertThat(c.freeSlots()).isEqualTo(2);
    }
}
