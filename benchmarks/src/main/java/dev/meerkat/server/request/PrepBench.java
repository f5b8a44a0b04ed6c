package dev.meerkat.server.request;

import dev.meerkat.bench.jmh.Trees;
import dev.meerkat.protocol.Perms;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.protocol.record.Id;
import dev.meerkat.server.auth.AclChecker;
import dev.meerkat.server.auth.DigestAuthenticationProvider;
import dev.meerkat.server.tree.DataTree;
import dev.meerkat.server.txn.CreateTxn;
import dev.meerkat.server.txn.SetDataTxn;
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

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The prepare stage of a write alone: {@link Prep} turning a create or a setData of 1 KB into its
 * txn against a {@link PrepView} over a tree of {@code nodes} nodes, as the request processor does
 * it, i.e. path validation, the parent's or node's state from the view, the ACL check (and for
 * create the ACL fix-up), the version check and building the txn. The view keeps the last
 * {@value #IN_FLIGHT} prepared txns as pending changes (the 100 requests in flight of the load
 * benchmarks) and forgets older ones as the processor does once they are applied; the tree itself
 * does not change. {@code acl}: {@code world} is the open ACL (world:anyone), {@code digest} a
 * digest ACL that the connection's digest identity must match, after its ip identity.
 *
 * <p>In core-server's package because Prep and PrepView are package-private there; on the class
 * path (and in the shaded benchmarks.jar) a package may span jars.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Dlogback.configurationFile=meerkat-bench-logback.xml"})
public class PrepBench {
    /** Txns prepared but not yet applied, kept in the view. */
    static final int IN_FLIGHT = 100;
    private static final int RING = 1 << 16;
    private static final long SESSION = 0x1234L;

    @Param({"1000", "100000"})
    public int nodes;

    @Param({"world", "digest"})
    public String acl;

    private Prep prep;
    private PrepView view;
    private List<Id> identities;
    private List<ACL> requestAcl;
    private String[] setPaths;
    private String[] createPaths;
    private byte[] value;
    private long zxid;
    private int next;

    @Setup
    public void setUp() {
        String digest = DigestAuthenticationProvider.generateDigest("bench:secret");
        List<ACL> nodeAcl = acl.equals("world") ? ACL.OPEN_ACL_UNSAFE
                : List.of(new ACL(Perms.ALL, new Id(DigestAuthenticationProvider.SCHEME, digest)));
        DataTree tree = new DataTree();
        Trees.populate(tree, nodes, nodeAcl);
        Id ip = new Id("ip", "127.0.0.1");
        identities = acl.equals("world") ? List.of(ip)
                : List.of(ip, new Id(DigestAuthenticationProvider.SCHEME, digest));
        // as decoded from a request: equal to the stored ACL, not the same objects
        requestAcl = nodeAcl.stream().map(a -> new ACL(a.perms(), new Id(a.id().scheme(), a.id().id()))).toList();
        prep = new Prep(new AclChecker(null, false), false);
        view = new PrepView(tree);
        value = Trees.value(1024);
        Random random = new Random(3);
        setPaths = new String[RING];
        createPaths = new String[RING];
        for (int k = 0; k < RING; k++) {
            setPaths[k] = Trees.path(random.nextInt(nodes));
            createPaths[k] = Trees.PARENT + "/new" + k;
        }
    }

    @Benchmark
    public SetDataTxn setData() throws PrepException {
        view.beginTxn(++zxid);
        SetDataTxn txn = prep.setData(view, identities, setPaths[next++ & (RING - 1)], value, -1);
        view.applied(zxid - IN_FLIGHT);
        return txn;
    }

    @Benchmark
    public CreateTxn create() throws PrepException {
        view.beginTxn(++zxid);
        CreateTxn txn = prep.create(view, SESSION, identities, createPaths[next++ & (RING - 1)], value, requestAcl,
                0, -1);
        view.applied(zxid - IN_FLIGHT);
        return txn;
    }
}
