package dev.meerkat.protocol.jute;

import dev.meerkat.protocol.record.ConnectRequest;
import dev.meerkat.protocol.record.ConnectResponse;
import dev.meerkat.protocol.record.RecordSamples;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JuteInputTest {

    /** An input holding the given ints, with the default field limit. */
    private static JuteInput input(int... ints) {
        ByteBuf buf = Unpooled.buffer();
        for (int i : ints) {
            buf.writeInt(i);
        }
        return new JuteInput(buf);
    }

    @ParameterizedTest
    @ValueSource(ints = {-2, -100, Integer.MIN_VALUE})
    void negativeLengthsOtherThanMinusOneAreRejected(int length) {
        assertThatThrownBy(() -> input(length, 0).readBuffer())
                .isInstanceOf(JuteException.class).hasMessageContaining("Unreasonable length " + length);
        assertThatThrownBy(() -> input(length, 0).readString())
                .isInstanceOf(JuteException.class).hasMessageContaining("Unreasonable length " + length);
    }

    @Test
    void minusOneIsNullAndZeroIsEmpty() throws JuteException {
        assertThat(input(-1).readBuffer()).isNull();
        assertThat(input(-1).readString()).isNull();
        assertThat(input(-1).readStringVector()).isNull();
        assertThat(input(0).readBuffer()).isEmpty();
        assertThat(input(0).readString()).isEmpty();
        assertThat(input(0).readStringVector()).isEmpty();
    }

    @Test
    void lengthAboveTheFieldLimitIsRejectedEvenWhenTheBytesArePresent() throws JuteException {
        ByteBuf buf = Unpooled.buffer().writeInt(9).writeZero(9).writeInt(8).writeZero(8);
        JuteInput tight = new JuteInput(buf, 8);

        assertThatThrownBy(tight::readBuffer).isInstanceOf(JuteException.class)
                .hasMessageContaining("Unreasonable length 9");
        buf.readerIndex(13);
        assertThat(tight.readBuffer()).hasSize(8);
    }

    @Test
    void defaultFieldLimitIsMaxBufferPlusItsDefaultExtraSize() throws JuteException {
        int limit = 2 * Jute.DEFAULT_MAX_BUFFER;
        ByteBuf atLimit = Unpooled.buffer().writeInt(limit).writeZero(limit);

        assertThat(new JuteInput(atLimit).readBuffer()).hasSize(limit);
        assertThatThrownBy(() -> new JuteInput(Unpooled.buffer().writeInt(limit + 1).writeZero(limit + 1)).readString())
                .isInstanceOf(JuteException.class).hasMessageContaining("Unreasonable length");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 1000, Jute.DEFAULT_MAX_BUFFER, Integer.MAX_VALUE})
    void lengthBeyondTheRemainingBytesIsRejectedWithoutAllocating(int length) {
        // one byte short, capped so the test itself stays small; MAX_VALUE would be an OutOfMemoryError
        // if the reader trusted it
        int present = Math.min(length - 1, 64);

        assertThatThrownBy(() -> new JuteInput(Unpooled.buffer().writeInt(length).writeZero(present),
                Integer.MAX_VALUE).readBuffer()).isInstanceOf(JuteException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> new JuteInput(Unpooled.buffer().writeInt(length).writeZero(present),
                Integer.MAX_VALUE).readString()).isInstanceOf(JuteException.class).hasMessageContaining("truncated");
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 100, Integer.MAX_VALUE})
    void vectorCountLargerThanTheRemainingBytesIsRejected(int count) {
        JuteInput in = input(count, 0);

        assertThatThrownBy(in::readStringVector).isInstanceOf(JuteException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {-2, Integer.MIN_VALUE})
    void negativeVectorCountsOtherThanMinusOneAreRejected(int count) {
        assertThatThrownBy(() -> input(count).readStringVector()).isInstanceOf(JuteException.class)
                .hasMessageContaining("count " + count);
    }

    @Test
    void vectorWhoseElementsRunOutIsRejected() {
        // a count of 2 fits the 4 remaining bytes, but the second element is missing
        assertThatThrownBy(() -> input(2, 0).readStringVector()).isInstanceOf(JuteException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void primitivesPastTheEndAreRejected() {
        JuteInput empty = new JuteInput(Unpooled.EMPTY_BUFFER);
        JuteInput three = new JuteInput(Unpooled.wrappedBuffer(new byte[3]));
        JuteInput seven = new JuteInput(Unpooled.wrappedBuffer(new byte[7]));

        assertThatThrownBy(empty::readByte).isInstanceOf(JuteException.class);
        assertThatThrownBy(empty::readBool).isInstanceOf(JuteException.class);
        assertThatThrownBy(three::readInt).isInstanceOf(JuteException.class);
        assertThatThrownBy(seven::readLong).isInstanceOf(JuteException.class);
    }

    @Test
    void anyNonZeroByteIsTrue() throws JuteException {
        JuteInput in = new JuteInput(Unpooled.wrappedBuffer(new byte[] {0, 1, 2, (byte) 0xff}));

        assertThat(List.of(in.readBool(), in.readBool(), in.readBool(), in.readBool()))
                .containsExactly(false, true, true, true);
    }

    static List<RecordSamples.Sample> samples() {
        return RecordSamples.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everyTruncationOfARecordIsAJuteException(RecordSamples.Sample sample) {
        byte[] bytes = Jute.toBytes(sample.value());
        for (int len = 0; len < bytes.length; len++) {
            if (len == bytes.length - 1 && hasOptionalTrailingByte(sample)) {
                continue;
            }
            JuteInput in = new JuteInput(Unpooled.wrappedBuffer(bytes, 0, len));
            int prefix = len;
            assertThatThrownBy(() -> sample.reader().read(in))
                    .as("%s cut to %d of %d bytes", sample, prefix, bytes.length)
                    .isInstanceOf(JuteException.class);
        }
    }

    /** Without its last byte, such a record is a valid old-client handshake, tested elsewhere. */
    private static boolean hasOptionalTrailingByte(RecordSamples.Sample sample) {
        return sample.value() instanceof ConnectRequest r && r.readOnlyPresent()
                || sample.value() instanceof ConnectResponse r2 && r2.readOnlyPresent();
    }
}
