package dev.meerkat.bench.jmh;

import dev.meerkat.bench.load.Clients;
import dev.meerkat.server.EmbeddedEnsemble;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
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
import java.util.concurrent.TimeUnit;

/**
 * One write at a time through an in-process three-server ensemble on loopback: the official
 * client's synchronous setData (1 KB) sent to the leader, or to a follower (which forwards it, and
 * answers once the commit has come back and been applied there). Compare with
 * {@link WriteRoundTripBench} for what replication adds: a proposal to the followers, their fsyncs
 * and acks, and the commit; {@code fsync=false} takes the disks out.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dlogback.configurationFile=meerkat-bench-logback.xml"})
public class EnsembleWriteBench {
    private static final String PATH = "/meerkat-bench-ensemble";

    @Param({"leader", "follower"})
    public String via;

    @Param({"true", "false"})
    public boolean fsync;

    private EmbeddedEnsemble ensemble;
    private ZooKeeper zk;
    private byte[] value;

    @Setup
    public void setUp() throws IOException, InterruptedException, KeeperException {
        ensemble = EmbeddedEnsemble.start(3, 0, 2000, b -> b.forceSync(fsync).preAllocSizeKb(65536));
        int member = via.equals("leader") ? ensemble.leader() : ensemble.followers().get(0);
        zk = Clients.connect(ensemble.connectString(member), 30_000);
        value = Trees.value(1024);
        zk.create(PATH, value, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }

    @TearDown
    public void tearDown() {
        Clients.closeQuietly(zk);
        ensemble.close();
    }

    @Benchmark
    public Stat setData() throws KeeperException, InterruptedException {
        return zk.setData(PATH, value, -1);
    }
}
