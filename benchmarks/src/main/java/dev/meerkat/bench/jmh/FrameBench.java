package dev.meerkat.bench.jmh;

import dev.meerkat.protocol.FrameCodec;
import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.Requests;
import dev.meerkat.protocol.jute.Jute;
import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.Record;
import dev.meerkat.protocol.record.GetDataResponse;
import dev.meerkat.protocol.record.ReplyHeader;
import dev.meerkat.protocol.record.RequestHeader;
import dev.meerkat.protocol.record.SetDataRequest;
import dev.meerkat.protocol.record.SetDataResponse;
import dev.meerkat.protocol.record.Stat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The protocol stage of a write and of a read: decoding a setData request frame as the server's
 * connection handler does (after the frame decoder has split off the length), and encoding the
 * reply frames of setData and getData with the channel's pooled allocator.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dlogback.configurationFile=meerkat-bench-logback.xml"})
public class FrameBench {

    @Param({"1024"})
    public int valueSize;

    private ByteBuf requestFrame;
    private ReplyHeader replyHeader;
    private SetDataResponse setDataResponse;
    private GetDataResponse getDataResponse;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;

    @Setup
    public void setUp() {
        byte[] value = new byte[valueSize];
        new Random(1).nextBytes(value);
        ByteBuf frame = FrameCodec.encode(UnpooledByteBufAllocator.DEFAULT, new RequestHeader(42, OpCode.SET_DATA),
                new SetDataRequest("/meerkat-bench/k000042", value, -1));
        frame.skipBytes(FrameCodec.HEADER);
        requestFrame = Unpooled.unreleasableBuffer(frame.copy());
        frame.release();
        Stat stat = new Stat(0x100000002L, 0x1000a1b2cL, 1_700_000_000_000L, 1_700_000_001_000L, 17, 0, 0, 0,
                valueSize, 0, 0x100000002L);
        replyHeader = new ReplyHeader(42, 0x1000a1b2cL, 0);
        setDataResponse = new SetDataResponse(stat);
        getDataResponse = new GetDataResponse(value, stat);
    }

    @TearDown
    public void tearDown() {
        requestFrame = null;
    }

    /** RequestHeader and SetDataRequest out of one frame, as ClientConnection reads them. */
    @Benchmark
    public Record decodeSetDataRequest(Blackhole bh) throws JuteException {
        JuteInput in = new JuteInput(requestFrame.duplicate(), 2 * Jute.DEFAULT_MAX_BUFFER);
        RequestHeader header = RequestHeader.read(in);
        bh.consume(header);
        return Requests.readBody(header.type(), in);
    }

    /** The setData reply frame: ReplyHeader and the node's new Stat. */
    @Benchmark
    public int encodeSetDataReply() {
        ByteBuf buf = FrameCodec.encode(alloc, replyHeader, setDataResponse);
        int n = buf.readableBytes();
        buf.release();
        return n;
    }

    /** The getData reply frame of a read: ReplyHeader, the value and the Stat. */
    @Benchmark
    public int encodeGetDataReply() {
        ByteBuf buf = FrameCodec.encode(alloc, replyHeader, getDataResponse);
        int n = buf.readableBytes();
        buf.release();
        return n;
    }
}
