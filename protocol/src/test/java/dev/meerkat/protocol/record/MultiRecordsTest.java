package dev.meerkat.protocol.record;

import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.jute.Jute;
import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MultiRecordsTest {
    private static final MultiHeader TERMINATOR = new MultiHeader(-1, true, -1);

    @Test
    void requestOpsAreFramedByHeadersWithErrMinusOne() {
        MultiOperationRecord multi = new MultiOperationRecord(List.of(
                new MultiOperationRecord.Op(OpCode.DELETE, new DeleteRequest("/a", -1))));

        assertThat(HexFormat.of().formatHex(Jute.toBytes(multi)))
                .isEqualTo("00000002" + "00" + "ffffffff" + "00000002" + "2f61" + "ffffffff"
                        + "ffffffff" + "01" + "ffffffff");
    }

    @Test
    void emptyMultiIsJustTheTerminator() throws JuteException {
        byte[] bytes = Jute.toBytes(TERMINATOR);

        assertThat(Jute.toBytes(new MultiOperationRecord(List.of()))).isEqualTo(bytes);
        assertThat(Jute.fromBytes(bytes, MultiOperationRecord::read).ops()).isEmpty();
        assertThat(Jute.fromBytes(bytes, MultiResponse::read).results()).isEmpty();
    }

    @Test
    void readingStopsAtTheFirstDoneHeaderWhateverItsTypeAndErr() throws JuteException {
        ByteBuf buf = Unpooled.wrappedBuffer(Jute.toBytes(
                new MultiHeader(OpCode.CHECK, false, -1), new CheckVersionRequest("/a", 1),
                new MultiHeader(OpCode.CREATE, true, 0), new ErrorResponse(42)));
        JuteInput in = new JuteInput(buf);

        MultiOperationRecord multi = MultiOperationRecord.read(in);

        assertThat(multi.ops()).containsExactly(
                new MultiOperationRecord.Op(OpCode.CHECK, new CheckVersionRequest("/a", 1)));
        assertThat(in.remaining()).as("bytes after the done header are not ours").isEqualTo(4);
    }

    @Test
    void requestWithoutTerminatorIsAJuteException() {
        byte[] full = Jute.toBytes(RecordSamples.multiOfEveryOpType());
        byte[] cut = Arrays.copyOf(full, full.length - 9);

        assertThatThrownBy(() -> Jute.fromBytes(cut, MultiOperationRecord::read)).isInstanceOf(JuteException.class);
    }

    @Test
    void manyOpsWithoutTerminatorRunOutOfBytesInsteadOfLooping() {
        ByteBuf buf = Unpooled.buffer();
        for (int i = 0; i < 50_000; i++) {
            buf.writeInt(OpCode.DELETE).writeByte(0).writeInt(-1).writeInt(-1).writeInt(0);
        }

        assertThatThrownBy(() -> MultiOperationRecord.read(new JuteInput(buf)))
                .isInstanceOf(JuteException.class).hasMessageContaining("truncated");
    }

    @ParameterizedTest
    @ValueSource(ints = {OpCode.EXISTS, OpCode.MULTI, OpCode.MULTI_READ, OpCode.GET_CHILDREN2, OpCode.PING,
            OpCode.ERROR, 0, 77})
    void opTypesThatCannotBeInAMultiAreRejectedByName(int type) {
        byte[] bytes = Jute.toBytes(new MultiHeader(type, false, -1), new GetDataRequest("/a", false), TERMINATOR);

        assertThatThrownBy(() -> Jute.fromBytes(bytes, MultiOperationRecord::read))
                .isInstanceOf(JuteException.class).hasMessageContaining("op type " + type);
    }

    @Test
    void decodesEachOpTypeToItsRecord() throws JuteException {
        MultiOperationRecord decoded = Jute.fromBytes(Jute.toBytes(RecordSamples.multiOfEveryOpType()),
                MultiOperationRecord::read);

        assertThat(decoded.ops()).extracting(op -> op.request().getClass().getSimpleName()).containsExactly(
                "CreateRequest", "CreateRequest", "CreateRequest", "CreateTTLRequest", "DeleteRequest",
                "DeleteContainerRequest", "SetDataRequest", "CheckVersionRequest", "GetDataRequest",
                "GetChildrenRequest");
        assertThat(decoded.ops()).extracting(MultiOperationRecord.Op::type).containsExactly(1, 15, 19, 21, 2, 20, 5,
                13, 4, 8);
    }

    @Test
    void opRejectsARecordThatDoesNotMatchItsType() {
        assertThatThrownBy(() -> new MultiOperationRecord.Op(OpCode.CREATE_TTL, new CreateRequest("/a", null, null, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CreateTTLRequest");
        assertThatThrownBy(() -> new MultiOperationRecord.Op(OpCode.GET_CHILDREN, new GetChildren2Request("/", false)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MultiOperationRecord.Op(OpCode.DELETE, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null");
        assertThatThrownBy(() -> new MultiOperationRecord.Op(OpCode.EXISTS, new ExistsRequest("/a", false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot appear");
    }

    @Test
    void resultFactories() {
        MultiResponse.Result error = MultiResponse.Result.error(Code.BADVERSION.intValue());
        MultiResponse.Result ok = MultiResponse.Result.ok(OpCode.SET_DATA, new SetDataResponse(RecordSamples.STAT));

        assertThat(error).isEqualTo(new MultiResponse.Result(-1, -103, new ErrorResponse(-103)));
        assertThat(ok.err()).isZero();
        assertThat(ok.type()).isEqualTo(OpCode.SET_DATA);
        assertThat(MultiResponse.Result.ok(OpCode.DELETE, null).body()).isNull();
    }

    @Test
    void resultRejectsWhatTheWireCannotCarry() {
        assertThatThrownBy(() -> MultiResponse.Result.ok(OpCode.CREATE, new Create2Response("/a", RecordSamples.STAT)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CreateResponse");
        assertThatThrownBy(() -> MultiResponse.Result.ok(OpCode.CHECK, new SetDataResponse(RecordSamples.STAT)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no body");
        assertThatThrownBy(() -> MultiResponse.Result.ok(OpCode.CREATE2, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MultiResponse.Result.ok(OpCode.EXISTS, new ExistsResponse(RecordSamples.STAT)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot appear");
        assertThatThrownBy(() -> new MultiResponse.Result(-1, -101, new ErrorResponse(-2)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MultiResponse.Result(OpCode.DELETE, -101, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("err -101");
    }

    @Test
    void successfulResultHeadersCarryErrZero() {
        MultiResponse response = new MultiResponse(List.of(MultiResponse.Result.ok(OpCode.CREATE, new CreateResponse("/a"))));

        assertThat(HexFormat.of().formatHex(Jute.toBytes(response)))
                .isEqualTo("00000001" + "00" + "00000000" + "00000002" + "2f61" + "ffffffff" + "01" + "ffffffff");
    }

    @Test
    void errorResultTakesItsCodeFromTheBodyLikeTheJavaClient() throws JuteException {
        byte[] bytes = Jute.toBytes(new MultiHeader(-1, false, 5), new ErrorResponse(-101), TERMINATOR);

        MultiResponse decoded = Jute.fromBytes(bytes, MultiResponse::read);

        assertThat(decoded.results()).containsExactly(MultiResponse.Result.error(-101));
    }

    @Test
    void responseWithoutTerminatorIsAJuteException() {
        byte[] full = Jute.toBytes(RecordSamples.responseOfEveryResultType());
        byte[] cut = Arrays.copyOf(full, full.length - 9);

        assertThatThrownBy(() -> Jute.fromBytes(cut, MultiResponse::read)).isInstanceOf(JuteException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {OpCode.EXISTS, OpCode.CREATE_TTL, OpCode.CREATE_CONTAINER, OpCode.MULTI, 0, 99})
    void resultTypesThatCannotBeInAResponseAreRejectedByName(int type) {
        byte[] bytes = Jute.toBytes(new MultiHeader(type, false, 0), new ErrorResponse(0), TERMINATOR);

        assertThatThrownBy(() -> Jute.fromBytes(bytes, MultiResponse::read))
                .isInstanceOf(JuteException.class).hasMessageContaining("result type " + type);
    }
}
