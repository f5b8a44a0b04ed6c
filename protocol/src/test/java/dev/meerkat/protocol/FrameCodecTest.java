package dev.meerkat.protocol;

import dev.meerkat.protocol.record.ReplyHeader;
import dev.meerkat.protocol.record.SyncResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FrameCodecTest {

    @Test
    void lengthPrefixCountsEverythingButItself() {
        ByteBuf frame = FrameCodec.encode(ByteBufAllocator.DEFAULT, new ReplyHeader(3, 7, 0), new SyncResponse("/x"));
        try {
            assertThat(frame.readableBytes()).isEqualTo(FrameCodec.HEADER + 16 + 4 + 2);
            assertThat(FrameCodec.frameLength(frame)).isEqualTo(22);
            assertThat(frame.readerIndex()).as("frameLength only peeks").isZero();
        } finally {
            frame.release();
        }
    }

    @Test
    void emptyFrameHasLengthZero() {
        ByteBuf frame = FrameCodec.encode(ByteBufAllocator.DEFAULT);
        try {
            assertThat(frame.readableBytes()).isEqualTo(FrameCodec.HEADER);
            assertThat(FrameCodec.frameLength(frame)).isZero();
        } finally {
            frame.release();
        }
    }

    @Test
    void frameLengthNeedsAllFourPrefixBytes() {
        assertThat(FrameCodec.frameLength(Unpooled.EMPTY_BUFFER)).isEqualTo(-1);
        assertThat(FrameCodec.frameLength(Unpooled.wrappedBuffer(new byte[] {0, 0, 1}))).isEqualTo(-1);
        assertThat(FrameCodec.frameLength(Unpooled.wrappedBuffer(new byte[] {0, 0, 1, 0}))).isEqualTo(256);
    }

    @Test
    void frameLengthReadsAtTheReaderIndex() {
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {9, 9, 0, 0, 0, 5, 1});
        buf.skipBytes(2);

        assertThat(FrameCodec.frameLength(buf)).isEqualTo(5);
        assertThat(buf.readerIndex()).isEqualTo(2);
    }

    @Test
    void frameLengthReportsHostileLengthsAsSent() {
        assertThat(FrameCodec.frameLength(Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, 0, 0, 0})))
                .isEqualTo(Integer.MIN_VALUE);
    }
}
