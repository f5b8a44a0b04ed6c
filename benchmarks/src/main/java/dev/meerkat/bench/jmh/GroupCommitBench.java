package dev.meerkat.bench.jmh;

import dev.meerkat.protocol.OpCode;
import dev.meerkat.server.storage.GroupCommitLog;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Group commit as the server uses it: {@code batch} setData txns of 1 KB submitted to a
 * {@link GroupCommitLog} (encoding on the caller's thread), then a wait for the last one's future,
 * which completes after the writer thread's fsync covering it. Adds the hand-off between threads
 * to {@link TxnLogBench}; the writer may split a batch if it wakes before the batch is all queued.
 * The score is per batch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dlogback.configurationFile=meerkat-bench-logback.xml"})
public class GroupCommitBench {

    @Param({"1", "16", "128"})
    public int batch;

    private Path dir;
    private GroupCommitLog log;
    private SetDataTxn txn;
    private long zxid;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("meerkat-groupcommit-bench-");
        log = GroupCommitLog.start(TxnLog.open(dir, TxnLog.Options.defaults()));
        txn = new SetDataTxn("/meerkat-bench/k000042", Trees.value(1024), 1);
    }

    @TearDown
    public void tearDown() throws IOException {
        log.close();
        Dirs.delete(dir);
    }

    @Benchmark
    public Object submitAndAwait() {
        CompletableFuture<Void> last = null;
        for (int k = 0; k < batch; k++) {
            last = log.submit(new TxnHeader(0x1234L, k, ++zxid, 1_700_000_000_000L, OpCode.SET_DATA), txn);
        }
        return last.join();
    }
}
