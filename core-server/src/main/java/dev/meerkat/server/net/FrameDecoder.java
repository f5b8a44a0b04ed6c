package dev.meerkat.server.net;

import dev.meerkat.server.admin.FourLetterWords;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Splits the client byte stream into frames (a 4-byte length, then that many bytes). The very first
 * four bytes of a connection may instead be a four-letter word, which is answered in text and ends
 * the connection. A length below zero or above jute.maxbuffer closes the connection without a
 * reply, as ZooKeeper does, so a hostile length never makes us allocate.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(FrameDecoder.class);

    private final int maxFrame;
    private final FourLetterWords fourLetterWords;
    private boolean firstFrame = true;
    /** Set once a four-letter word is answered: whatever else arrives before the close is ignored. */
    private boolean fourLetterWord;

    FrameDecoder(int maxFrame, FourLetterWords fourLetterWords) {
        this.maxFrame = maxFrame;
        this.fourLetterWords = fourLetterWords;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!ctx.channel().isActive() || fourLetterWord) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= 4) {
            int len = in.getInt(in.readerIndex());
            if (firstFrame) {
                String word = FourLetterWords.wordOf(len);
                if (word != null) {
                    long argument = 0;
                    if (fourLetterWords.takesArgument(word)) {
                        if (in.readableBytes() < 4 + Long.BYTES) {
                            return;
                        }
                        argument = in.getLong(in.readerIndex() + 4);
                    }
                    fourLetterWord = true;
                    in.skipBytes(in.readableBytes());
                    fourLetterWords.answer(word, argument, ctx.channel());
                    return;
                }
                firstFrame = false;
            }
            if (len < 0 || len > maxFrame) {
                LOG.warn("Closing connection from {}: frame length {} is outside 0..{} (jute.maxbuffer)",
                        ctx.channel().remoteAddress(), len, maxFrame);
                in.skipBytes(in.readableBytes());
                ctx.close();
                return;
            }
            if (in.readableBytes() < 4 + len) {
                return;
            }
            in.skipBytes(4);
            out.add(in.readRetainedSlice(len));
        }
    }
}
