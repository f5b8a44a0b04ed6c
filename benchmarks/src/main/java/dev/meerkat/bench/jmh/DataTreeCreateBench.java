package dev.meerkat.bench.jmh;

import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.server.tree.DataTree;
import dev.meerkat.server.txn.CreateTxn;
import dev.meerkat.server.txn.DeleteTxn;
import dev.meerkat.server.txn.ProcessTxnResult;
import dev.meerkat.server.txn.TxnHeader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The apply stage of a create: {@link DataTree#processTxn} of a CreateTxn (1 KB, persistent, open
 * ACL) under a parent that already has {@code nodes} children.
 *
 * <p>Creates make the tree grow, so the benchmark is timed in batches of {@link #BATCH} creates
 * (JMH's single-shot mode with a batch size, divided by the batch: the score is per create) and the nodes of a batch
 * are deleted, untimed, before the next: the tree stays between {@code nodes} and
 * {@code nodes + BATCH} nodes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 20, batchSize = DataTreeCreateBench.BATCH)
@Measurement(iterations = 40, batchSize = DataTreeCreateBench.BATCH)
@OperationsPerInvocation(DataTreeCreateBench.BATCH)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Dlogback.configurationFile=meerkat-bench-logback.xml"})
public class DataTreeCreateBench {
    static final int BATCH = 5000;

    @Param({"1000", "100000", "1000000"})
    public int nodes;

    private DataTree tree;
    private long zxid;
    private CreateTxn[] batch;
    private int iteration;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        tree = new DataTree();
        zxid = Trees.populate(tree, nodes);
    }

    /** Removes the previous batch's nodes and prepares the txns of the next (untimed). */
    @Setup(Level.Iteration)
    public void nextBatch() {
        if (batch != null) {
            for (int k = 0; k < next; k++) {
                Trees.apply(tree, ++zxid, new DeleteTxn(batch[k].path()));
            }
        }
        iteration++;
        byte[] value = Trees.value(1024);
        batch = new CreateTxn[BATCH];
        for (int k = 0; k < BATCH; k++) {
            batch[k] = new CreateTxn(Trees.PARENT + "/c" + iteration + "-" + k, value, ACL.OPEN_ACL_UNSAFE, 0);
        }
        next = 0;
    }

    @Benchmark
    public ProcessTxnResult create() {
        return tree.processTxn(new TxnHeader(0x1234L, next, ++zxid, 1_700_000_000_000L, OpCode.CREATE),
                batch[next++]);
    }
}
