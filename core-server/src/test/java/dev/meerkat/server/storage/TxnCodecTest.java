package dev.meerkat.server.storage;

import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.server.txn.DeleteTxn;
import dev.meerkat.server.txn.MultiTxn;
import dev.meerkat.server.txn.SetDataTxn;
import dev.meerkat.server.txn.Txn;
import dev.meerkat.server.txn.TxnHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TxnCodecTest {
    private static final TxnHeader H = new TxnHeader(0x5eed_0000_0001L, 42, 0x1_0000_0007L, 1_700_000_000_123L,
            OpCode.CREATE2);

    static List<Txn> everyKind() {
        return Txns.everyKind();
    }

    @ParameterizedTest
    @MethodSource("everyKind")
    void everyTxnKindSurvivesTheRoundTrip(Txn txn) throws Exception {
        Entry back = TxnCodec.decode(TxnCodec.encode(H, txn));

        assertThat(back.header()).isEqualTo(H);
        assertThat(back.txn()).isEqualTo(txn);
    }

    @Test
    void nullDataStaysNullAndEmptyDataStaysEmpty() throws Exception {
        SetDataTxn nullData = (SetDataTxn) TxnCodec.decode(TxnCodec.encode(H, new SetDataTxn("/a", null, 1))).txn();
        SetDataTxn empty = (SetDataTxn) TxnCodec.decode(TxnCodec.encode(H, new SetDataTxn("/a", new byte[0], 1)))
                .txn();

        assertThat(nullData.data()).isNull();
        assertThat(empty.data()).isNotNull().isEmpty();
    }

    @Test
    void theEncodingIsExactlyTheDocumentedLayout() {
        byte[] bytes = TxnCodec.encode(new TxnHeader(1, 2, 3, 4, OpCode.DELETE), new DeleteTxn("/a"));

        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(
                "0000000000000001" + "00000002" + "0000000000000003" + "0000000000000004" + "00000002"
                + "02" + "00000002" + "2f61");
    }

    @Test
    void equalTxnsEncodeToEqualBytes() {
        for (Txn t : Txns.everyKind()) {
            assertThat(TxnCodec.encode(H, t)).isEqualTo(TxnCodec.encode(H, t));
        }
    }

    @Test
    void multisNestUpToTheLimitAndNoFurther() throws Exception {
        MultiTxn deepest = Txns.nested(TxnCodec.MAX_MULTI_DEPTH);

        assertThat(TxnCodec.decode(TxnCodec.encode(H, deepest)).txn()).isEqualTo(deepest);
        assertThatThrownBy(() -> TxnCodec.encode(H, Txns.nested(TxnCodec.MAX_MULTI_DEPTH + 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tooDeepANestingOnDiskIsRejectedNotFollowed() {
        // Hand-built, since the encoder refuses to write it: tag 8, count 1, repeated.
        ByteBuffer b = ByteBuffer.allocate(32 + 5 * (TxnCodec.MAX_MULTI_DEPTH + 1) + 1);
        b.putLong(1).putInt(2).putLong(3).putLong(4).putInt(OpCode.MULTI);
        for (int i = 0; i <= TxnCodec.MAX_MULTI_DEPTH; i++) {
            b.put(TxnCodec.MULTI).putInt(1);
        }
        b.put(TxnCodec.CLOSE_SESSION);

        assertThatThrownBy(() -> TxnCodec.decode(b.array())).isInstanceOf(JuteException.class)
                .hasMessageContaining("nested");
    }

    @Test
    void damagedBytesAreRejected() {
        byte[] good = TxnCodec.encode(H, new SetDataTxn("/a", Txns.bytes("value"), 3));

        assertThatThrownBy(() -> TxnCodec.decode(Arrays.copyOf(good, good.length - 1)))
                .isInstanceOf(JuteException.class);
        assertThatThrownBy(() -> TxnCodec.decode(Arrays.copyOf(good, good.length + 1)))
                .isInstanceOf(JuteException.class).hasMessageContaining("after the end");
        byte[] unknownTag = good.clone();
        unknownTag[TxnCodec.TAG_OFFSET] = 99;
        assertThatThrownBy(() -> TxnCodec.decode(unknownTag)).isInstanceOf(JuteException.class)
                .hasMessageContaining("unknown txn tag 99");
        byte[] nullPath = good.clone();
        ByteBuffer.wrap(nullPath).putInt(TxnCodec.TAG_OFFSET + 1, -1);
        assertThatThrownBy(() -> TxnCodec.decode(nullPath)).isInstanceOf(JuteException.class);
        byte[] hugeLength = good.clone();
        ByteBuffer.wrap(hugeLength).putInt(TxnCodec.TAG_OFFSET + 1, Integer.MAX_VALUE);
        assertThatThrownBy(() -> TxnCodec.decode(hugeLength)).isInstanceOf(JuteException.class);
    }
}
