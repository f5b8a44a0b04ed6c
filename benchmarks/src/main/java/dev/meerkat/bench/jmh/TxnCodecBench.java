package dev.meerkat.bench.jmh;

import dev.meerkat.protocol.OpCode;
import dev.meerkat.server.storage.TxnCodec;
import dev.meerkat.server.txn.SetDataTxn;
import dev.meerkat.server.txn.TxnHeader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/** The log record of a setData of 1 KB: {@link TxnCodec#encode}, which the log does per txn. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dlogback.configurationFile=meerkat-bench-logback.xml"})
public class TxnCodecBench {
    private TxnHeader header;
    private SetDataTxn txn;

    @Setup
    public void setUp() {
        header = new TxnHeader(0x1234L, 7, 0x100000042L, 1_700_000_000_000L, OpCode.SET_DATA);
        txn = new SetDataTxn("/meerkat-bench/k000042", Trees.value(1024), 1);
    }

    @Benchmark
    public byte[] encodeSetDataTxn() {
        return TxnCodec.encode(header, txn);
    }
}
