package dev.meerkat.bench.jmh;

import dev.meerkat.protocol.OpCode;
import dev.meerkat.server.txn.ProcessTxnResult;
import dev.meerkat.server.txn.SetDataTxn;
import dev.meerkat.server.txn.TxnHeader;
import dev.meerkat.server.tree.DataTree;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The apply stage of a setData: {@link DataTree#processTxn} of a SetDataTxn of 1 KB on a tree of
 * {@code nodes} nodes, keys picked at random so that the lookups miss the CPU caches as they do
 * under load. No watches are set.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Dlogback.configurationFile=meerkat-bench-logback.xml"})
public class DataTreeSetDataBench {

    @Param({"1000", "100000", "1000000"})
    public int nodes;

    private static final int RING = 1 << 16;

    private DataTree tree;
    private SetDataTxn[] txns;
    private long zxid;
    private int next;

    @Setup
    public void setUp() {
        tree = new DataTree();
        zxid = Trees.populate(tree, nodes);
        byte[] value = Trees.value(1024);
        Random random = new Random(3);
        txns = new SetDataTxn[RING];
        int[] versions = new int[nodes];
        for (int k = 0; k < RING; k++) {
            int key = random.nextInt(nodes);
            txns[k] = new SetDataTxn(Trees.path(key), value, ++versions[key]);
        }
    }

    @Benchmark
    public ProcessTxnResult setData() {
        SetDataTxn txn = txns[next++ & (RING - 1)];
        return tree.processTxn(new TxnHeader(0x1234L, next, ++zxid, 1_700_000_000_000L, OpCode.SET_DATA), txn);
    }
}
