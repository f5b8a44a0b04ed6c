package dev.meerkat.protocol;

import dev.meerkat.protocol.jute.Jute;
import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.Record;
import dev.meerkat.protocol.record.AddWatchRequest;
import dev.meerkat.protocol.record.AuthPacket;
import dev.meerkat.protocol.record.CheckVersionRequest;
import dev.meerkat.protocol.record.CheckWatchesRequest;
import dev.meerkat.protocol.record.CreateRequest;
import dev.meerkat.protocol.record.CreateTTLRequest;
import dev.meerkat.protocol.record.DeleteContainerRequest;
import dev.meerkat.protocol.record.DeleteRequest;
import dev.meerkat.protocol.record.ExistsRequest;
import dev.meerkat.protocol.record.GetACLRequest;
import dev.meerkat.protocol.record.GetAllChildrenNumberRequest;
import dev.meerkat.protocol.record.GetChildren2Request;
import dev.meerkat.protocol.record.GetChildrenRequest;
import dev.meerkat.protocol.record.GetDataRequest;
import dev.meerkat.protocol.record.GetEphemeralsRequest;
import dev.meerkat.protocol.record.GetSASLRequest;
import dev.meerkat.protocol.record.RecordSamples;
import dev.meerkat.protocol.record.ReconfigRequest;
import dev.meerkat.protocol.record.RemoveWatchesRequest;
import dev.meerkat.protocol.record.SetACLRequest;
import dev.meerkat.protocol.record.SetDataRequest;
import dev.meerkat.protocol.record.SetWatches;
import dev.meerkat.protocol.record.SetWatches2;
import dev.meerkat.protocol.record.SyncRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class RequestsTest {

    /** Every op code that carries a body, with an example of the record it must decode to. */
    static Stream<Arguments> opsWithBodies() {
        CreateRequest create = new CreateRequest("/a", RecordSamples.DATA, RecordSamples.ACLS, 1);
        return Stream.of(
                arguments(OpCode.CREATE, create),
                arguments(OpCode.CREATE2, create),
                arguments(OpCode.CREATE_CONTAINER, new CreateRequest("/c", null, RecordSamples.ACLS, 4)),
                arguments(OpCode.CREATE_TTL, new CreateTTLRequest("/t", null, RecordSamples.ACLS, 5, 100)),
                arguments(OpCode.DELETE, new DeleteRequest("/a", 3)),
                arguments(OpCode.DELETE_CONTAINER, new DeleteContainerRequest("/c")),
                arguments(OpCode.EXISTS, new ExistsRequest("/a", true)),
                arguments(OpCode.GET_DATA, new GetDataRequest("/a", false)),
                arguments(OpCode.SET_DATA, new SetDataRequest("/a", RecordSamples.DATA, -1)),
                arguments(OpCode.GET_ACL, new GetACLRequest("/a")),
                arguments(OpCode.SET_ACL, new SetACLRequest("/a", RecordSamples.ACLS, 0)),
                arguments(OpCode.GET_CHILDREN, new GetChildrenRequest("/", true)),
                arguments(OpCode.SYNC, new SyncRequest("/a")),
                arguments(OpCode.GET_CHILDREN2, new GetChildren2Request("/", false)),
                arguments(OpCode.CHECK, new CheckVersionRequest("/a", 2)),
                arguments(OpCode.MULTI, RecordSamples.multiOfEveryOpType()),
                arguments(OpCode.MULTI_READ, RecordSamples.multiOfEveryOpType()),
                arguments(OpCode.RECONFIG, new ReconfigRequest(null, "2", null, -1)),
                arguments(OpCode.CHECK_WATCHES, new CheckWatchesRequest("/a", WatcherType.CHILDREN)),
                arguments(OpCode.REMOVE_WATCHES, new RemoveWatchesRequest("/a", WatcherType.ANY)),
                arguments(OpCode.AUTH, new AuthPacket(0, "digest", RecordSamples.PASSWD)),
                arguments(OpCode.SET_WATCHES, new SetWatches(4, List.of("/a"), List.of(), null)),
                arguments(OpCode.SASL, new GetSASLRequest(RecordSamples.PASSWD)),
                arguments(OpCode.GET_EPHEMERALS, new GetEphemeralsRequest("/")),
                arguments(OpCode.GET_ALL_CHILDREN_NUMBER, new GetAllChildrenNumberRequest("/")),
                arguments(OpCode.SET_WATCHES2, new SetWatches2(4, null, null, null, List.of("/p"), List.of("/r"))),
                arguments(OpCode.ADD_WATCH, new AddWatchRequest("/a", AddWatchMode.PERSISTENT)));
    }

    @ParameterizedTest(name = "op {0}")
    @MethodSource("opsWithBodies")
    void decodesTheRecordOfEachOp(int op, Record expected) throws JuteException {
        byte[] bytes = Jute.toBytes(expected);
        JuteInput in = new JuteInput(Unpooled.wrappedBuffer(bytes));

        Record body = Requests.readBody(op, in);

        assertThat(body).isInstanceOf(expected.getClass());
        assertThat(Jute.toBytes(body)).isEqualTo(bytes);
        assertThat(in.hasRemaining()).isFalse();
        assertThat(Requests.isKnown(op)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {OpCode.PING, OpCode.WHO_AM_I, OpCode.CLOSE_SESSION})
    void opsWithoutABodyGiveNullAndReadNothing(int op) throws JuteException {
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {1, 2, 3});

        assertThat(Requests.readBody(op, new JuteInput(buf))).isNull();
        assertThat(buf.readerIndex()).isZero();
        assertThat(Requests.isKnown(op)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {OpCode.NOTIFICATION, 10, 23, 99, 108, OpCode.CREATE_SESSION, OpCode.ERROR, -2,
            Integer.MIN_VALUE, Integer.MAX_VALUE})
    void unknownOpsAreRejected(int op) {
        assertThat(Requests.isKnown(op)).isFalse();
        assertThatThrownBy(() -> Requests.readBody(op, new JuteInput(Unpooled.EMPTY_BUFFER)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown op code " + op);
    }

    @Test
    void isKnownAgreesWithReadBody() {
        for (int op = -300; op <= 300; op++) {
            boolean accepted;
            try {
                Requests.readBody(op, new JuteInput(Unpooled.EMPTY_BUFFER));
                accepted = true;
            } catch (JuteException truncated) {
                accepted = true;
            } catch (IllegalArgumentException unknown) {
                accepted = false;
            }
            assertThat(Requests.isKnown(op)).as("isKnown(%d)", op).isEqualTo(accepted);
        }
    }

    @Test
    void knowsExactlyTheClientOps() {
        assertThat(IntStream.rangeClosed(-300, 300).filter(Requests::isKnown).boxed())
                .containsExactlyInAnyOrder(OpCode.CREATE, OpCode.DELETE, OpCode.EXISTS, OpCode.GET_DATA,
                        OpCode.SET_DATA, OpCode.GET_ACL, OpCode.SET_ACL, OpCode.GET_CHILDREN, OpCode.SYNC,
                        OpCode.PING, OpCode.GET_CHILDREN2, OpCode.CHECK, OpCode.MULTI, OpCode.CREATE2,
                        OpCode.RECONFIG, OpCode.CHECK_WATCHES, OpCode.REMOVE_WATCHES, OpCode.CREATE_CONTAINER,
                        OpCode.DELETE_CONTAINER, OpCode.CREATE_TTL, OpCode.MULTI_READ, OpCode.AUTH,
                        OpCode.SET_WATCHES, OpCode.SASL, OpCode.GET_EPHEMERALS, OpCode.GET_ALL_CHILDREN_NUMBER,
                        OpCode.SET_WATCHES2, OpCode.ADD_WATCH, OpCode.WHO_AM_I, OpCode.CLOSE_SESSION);
    }
}
