package dev.meerkat.bench.jmh;

import dev.meerkat.protocol.OpCode;
import dev.meerkat.server.storage.TxnLog;
import dev.meerkat.server.txn.SetDataTxn;
import dev.meerkat.server.txn.TxnHeader;
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The durability stage: {@link TxnLog} append of {@code batch} setData txns of 1 KB (encode, CRC32C,
 * buffer) and one {@link TxnLog#sync()} (write and fsync) for all of them, in a log in
 * {@code java.io.tmpdir} with the server's default 64 MB preallocation. The score is per batch;
 * divide by the batch size for the cost per txn. {@code fsync=false} is the same without the
 * force, to separate the disk from the rest. The average hides the stall of the preallocation;
 * {@code -bm sample} shows it in the high percentiles.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dlogback.configurationFile=meerkat-bench-logback.xml"})
public class TxnLogBench {

    @Param({"1", "16", "128"})
    public int batch;

    @Param({"true", "false"})
    public boolean fsync;

    /**
     * The segment preallocation block, in KiB: the server's default of 64 MB, which it fills
     * with zeros in the writer thread whenever a segment grows past a block; 0 to compare with a
     * log that grows with each write ({@code -p preallocKb=0}).
     */
    @Param({"65536"})
    public int preallocKb;

    private Path dir;
    private TxnLog log;
    private SetDataTxn txn;
    private long zxid;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("meerkat-txnlog-bench-");
        log = TxnLog.open(dir, TxnLog.Options.defaults().withForceSync(fsync)
                .withPreallocBytes(preallocKb * 1024L));
        txn = new SetDataTxn("/meerkat-bench/k000042", Trees.value(1024), 1);
    }

    @TearDown
    public void tearDown() throws IOException {
        log.close();
        Dirs.delete(dir);
    }

    @Benchmark
    public long appendAndSync() throws IOException {
        for (int k = 0; k < batch; k++) {
            log.append(new TxnHeader(0x1234L, k, ++zxid, 1_700_000_000_000L, OpCode.SET_DATA), txn);
        }
        return log.sync();
    }
}
