package dev.meerkat.bench.jmh;

import dev.meerkat.bench.load.Clients;
import dev.meerkat.server.EmbeddedMeerkat;
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
 * The whole path of one request, one at a time: the official client's synchronous setData (1 KB)
 * and getData against an in-process standalone Meerkat on loopback (frame decode, prepare, log
 * and fsync, apply, reply, and the client's own threads). {@code fsync=false} shows how much of a
 * lone write is the fsync.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dlogback.configurationFile=meerkat-bench-logback.xml"})
public class WriteRoundTripBench {
    private static final String PATH = "/meerkat-bench-roundtrip";

    @Param({"true", "false"})
    public boolean fsync;

    private EmbeddedMeerkat server;
    private ZooKeeper zk;
    private byte[] value;

    @Setup
    public void setUp() throws IOException, InterruptedException, KeeperException {
        server = EmbeddedMeerkat.start(b -> b.forceSync(fsync).preAllocSizeKb(65536));
        zk = Clients.connect(server.connectString(), 30_000);
        value = Trees.value(1024);
        zk.create(PATH, value, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }

    @TearDown
    public void tearDown() {
        Clients.closeQuietly(zk);
        server.close();
    }

    @Benchmark
    public Stat setData() throws KeeperException, InterruptedException {
        return zk.setData(PATH, value, -1);
    }

    @Benchmark
    public byte[] getData() throws KeeperException, InterruptedException {
        return zk.getData(PATH, false, null);
    }
}
