package dev.meerkat.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;

import java.util.List;

/**
 * Splits the server's byte stream into frames (a 4-byte length, then that many bytes). A length
 * below zero or above the limit is a broken or hostile stream, which ZooKeeper's client also
 * answers by dropping the connection; the exception does that here.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    private final int maxFrame;

    FrameDecoder(int maxFrame) {
        this.maxFrame = maxFrame;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 4) {
            int len = in.getInt(in.readerIndex());
            if (len < 0 || len > maxFrame) {
                in.skipBytes(in.readableBytes());
                throw new CorruptedFrameException("Packet len " + len + " is out of range (0.." + maxFrame + ")");
            }
            if (in.readableBytes() < 4 + len) {
                return;
            }
            in.skipBytes(4);
            out.add(in.readRetainedSlice(len));
        }
    }
}
