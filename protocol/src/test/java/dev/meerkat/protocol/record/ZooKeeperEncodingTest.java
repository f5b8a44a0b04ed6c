package dev.meerkat.protocol.record;

import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.jute.Jute;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.Record;
import org.apache.jute.BinaryInputArchive;
import org.apache.jute.BinaryOutputArchive;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.CreateOptions;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differential tests against the real ZooKeeper 3.9.5 jute classes: every sample must encode to
 * exactly the bytes ZooKeeper's own record produces, and ZooKeeper must read our bytes back.
 */
class ZooKeeperEncodingTest {
    private static final List<String> ZK_PACKAGES =
            List.of("org.apache.zookeeper.proto", "org.apache.zookeeper.data", "org.apache.zookeeper");

    static List<RecordSamples.Sample> plainSamples() {
        // the multi records are containers of ops, not jute-generated; they are covered below
        return RecordSamples.all().stream()
                .filter(s -> !(s.value() instanceof MultiOperationRecord || s.value() instanceof MultiResponse))
                // ZooKeeper's hand-written DeleteContainerRequest cannot hold a null path at all
                .filter(s -> !(s.value() instanceof DeleteContainerRequest d && d.path() == null))
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plainSamples")
    void encodesExactlyLikeZooKeeper(RecordSamples.Sample sample) throws Exception {
        byte[] zk = serialize(toZooKeeper(sample.value()));

        assertThat(Jute.toBytes(sample.value())).isEqualTo(expectedBytes(sample.value(), zk));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plainSamples")
    void zooKeeperReadsWhatWeWrite(RecordSamples.Sample sample) throws Exception {
        org.apache.jute.Record zk = toZooKeeper(sample.value());
        org.apache.jute.Record fresh = zk.getClass().getConstructor().newInstance();
        byte[] ours = Jute.toBytes(sample.value());
        if (isWithoutReadOnlyByte(sample.value())) {
            // ZooKeeper's generated reader insists on the byte; its server catches that and falls back
            ours = Arrays.copyOf(ours, ours.length + 1);
        }

        deserialize(fresh, ours);

        assertThat(serialize(fresh)).isEqualTo(serialize(zk));
    }

    @Test
    void writeMultiMatchesZooKeeper() throws Exception {
        MultiOperationRecord ours = new MultiOperationRecord(List.of(
                new MultiOperationRecord.Op(OpCode.CREATE, new CreateRequest("/a", RecordSamples.DATA,
                        RecordSamples.ACLS, 0)),
                new MultiOperationRecord.Op(OpCode.CREATE2, new CreateRequest("/b", null,
                        ACL.OPEN_ACL_UNSAFE, 3)),
                new MultiOperationRecord.Op(OpCode.CREATE_CONTAINER, new CreateRequest("/c",
                        RecordSamples.EMPTY, ACL.OPEN_ACL_UNSAFE, 4)),
                new MultiOperationRecord.Op(OpCode.CREATE_TTL, new CreateTTLRequest("/t", RecordSamples.DATA,
                        ACL.OPEN_ACL_UNSAFE, 5, 1000)),
                new MultiOperationRecord.Op(OpCode.DELETE, new DeleteRequest("/a", -1)),
                new MultiOperationRecord.Op(OpCode.SET_DATA, new SetDataRequest("/b", RecordSamples.DATA, 0)),
                new MultiOperationRecord.Op(OpCode.CHECK, new CheckVersionRequest("/b", 1))));
        List<Op> zkOps = List.of(
                Op.create("/a", RecordSamples.DATA, zkAcls(RecordSamples.ACLS), CreateMode.PERSISTENT),
                Op.create("/b", null, CreateOptions.newBuilder(ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.EPHEMERAL_SEQUENTIAL).build()),
                Op.create("/c", RecordSamples.EMPTY, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER),
                Op.create("/t", RecordSamples.DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL,
                        1000),
                Op.delete("/a", -1),
                Op.setData("/b", RecordSamples.DATA, 0),
                Op.check("/b", 1));

        assertSameAsZooKeeper(ours, new org.apache.zookeeper.MultiOperationRecord(zkOps),
                org.apache.zookeeper.MultiOperationRecord::new, MultiOperationRecord::read);
    }

    @Test
    void readMultiMatchesZooKeeper() throws Exception {
        // ZooKeeper drops the watch flag of ops inside a multiRead, so only false survives its re-encoding
        MultiOperationRecord ours = new MultiOperationRecord(List.of(
                new MultiOperationRecord.Op(OpCode.GET_DATA, new GetDataRequest("/a", false)),
                new MultiOperationRecord.Op(OpCode.GET_CHILDREN, new GetChildrenRequest("/", false))));
        List<Op> zkOps = List.of(Op.getData("/a"), Op.getChildren("/"));

        assertSameAsZooKeeper(ours, new org.apache.zookeeper.MultiOperationRecord(zkOps),
                org.apache.zookeeper.MultiOperationRecord::new, MultiOperationRecord::read);
    }

    @Test
    void multiResponseMatchesZooKeeper() throws Exception {
        // type 20 is left out: the Java client rejects it, so servers report deleteContainer as 2
        MultiResponse ours = new MultiResponse(RecordSamples.responseOfEveryResultType().results().stream()
                .filter(r -> r.type() != OpCode.DELETE_CONTAINER)
                .toList());
        org.apache.zookeeper.MultiResponse zk = new org.apache.zookeeper.MultiResponse();
        org.apache.zookeeper.data.Stat stat = (org.apache.zookeeper.data.Stat) toZooKeeper(RecordSamples.STAT);
        zk.add(new OpResult.CreateResult("/a"));
        zk.add(new OpResult.CreateResult("/b0000000001", stat));
        zk.add(new OpResult.DeleteResult());
        zk.add(new OpResult.SetDataResult(stat));
        zk.add(new OpResult.CheckResult());
        zk.add(new OpResult.GetDataResult(RecordSamples.DATA, stat));
        zk.add(new OpResult.GetChildrenResult(List.of("x", "y")));
        zk.add(new OpResult.ErrorResult(-101));

        assertSameAsZooKeeper(ours, zk, org.apache.zookeeper.MultiResponse::new, MultiResponse::read);
    }

    @Test
    void failedMultiResponseMatchesZooKeeper() throws Exception {
        MultiResponse ours = new MultiResponse(List.of(MultiResponse.Result.error(0),
                MultiResponse.Result.error(-101), MultiResponse.Result.error(-2)));
        org.apache.zookeeper.MultiResponse zk = new org.apache.zookeeper.MultiResponse();
        zk.add(new OpResult.ErrorResult(0));
        zk.add(new OpResult.ErrorResult(-101));
        zk.add(new OpResult.ErrorResult(-2));

        assertSameAsZooKeeper(ours, zk, org.apache.zookeeper.MultiResponse::new, MultiResponse::read);
    }

    @Test
    void zooKeeperDecodesOurUtf8ForCharactersOutsideTheBmp() throws Exception {
        // ZooKeeper writes surrogates as two 3-byte sequences; we write real UTF-8, which it must still read
        String scheme = "x509";
        String id = "CN=\uD83D\uDE00 user";
        byte[] ours = Jute.toBytes(new Id(scheme, id));
        org.apache.zookeeper.data.Id zk = new org.apache.zookeeper.data.Id();

        deserialize(zk, ours);

        assertThat(zk.getScheme()).isEqualTo(scheme);
        assertThat(zk.getId()).isEqualTo(id);
        assertThat(Jute.fromBytes(ours, Id::read)).isEqualTo(new Id(scheme, id));
    }

    private static <T extends Record> void assertSameAsZooKeeper(
            T ours, org.apache.jute.Record zk, Supplier<org.apache.jute.Record> zkFactory,
            JuteInput.Reader<T> reader) throws IOException {
        byte[] zkBytes = serialize(zk);
        byte[] ourBytes = Jute.toBytes(ours);
        assertThat(ourBytes).isEqualTo(zkBytes);

        org.apache.jute.Record reread = zkFactory.get();
        deserialize(reread, ourBytes);
        assertThat(serialize(reread)).isEqualTo(ourBytes);

        T decoded = Jute.fromBytes(zkBytes, reader);
        assertThat(Jute.toBytes(decoded)).isEqualTo(zkBytes);
    }

    /** ZooKeeper's jute classes always write the readOnly byte that ours may leave out. */
    private static byte[] expectedBytes(Record value, byte[] zk) {
        return isWithoutReadOnlyByte(value) ? Arrays.copyOf(zk, zk.length - 1) : zk;
    }

    private static boolean isWithoutReadOnlyByte(Record value) {
        return value instanceof ConnectRequest r && !r.readOnlyPresent()
                || value instanceof ConnectResponse r2 && !r2.readOnlyPresent();
    }

    /**
     * Builds ZooKeeper's record of the same name from our components, which are declared in the
     * same order as ZooKeeper's constructor parameters.
     */
    static org.apache.jute.Record toZooKeeper(Record ours) throws Exception {
        Class<?> zkClass = zooKeeperClass(ours.getClass().getSimpleName());
        List<Object> values = new ArrayList<>();
        for (RecordComponent c : ours.getClass().getRecordComponents()) {
            if (!c.getName().equals("readOnlyPresent")) {
                values.add(c.getAccessor().invoke(ours));
            }
        }
        Constructor<?> ctor = Arrays.stream(zkClass.getConstructors())
                .filter(k -> k.getParameterCount() == values.size())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + values.size() + "-argument constructor in " + zkClass));
        Object[] args = new Object[values.size()];
        for (int i = 0; i < args.length; i++) {
            args[i] = toZooKeeperValue(values.get(i));
        }
        return (org.apache.jute.Record) ctor.newInstance(args);
    }

    private static Object toZooKeeperValue(Object v) throws Exception {
        if (v instanceof Record r) {
            return toZooKeeper(r);
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object e : list) {
                out.add(toZooKeeperValue(e));
            }
            return out;
        }
        return v;
    }

    private static List<org.apache.zookeeper.data.ACL> zkAcls(List<ACL> acls) throws Exception {
        List<org.apache.zookeeper.data.ACL> out = new ArrayList<>();
        for (ACL a : acls) {
            out.add((org.apache.zookeeper.data.ACL) toZooKeeper(a));
        }
        return out;
    }

    private static Class<?> zooKeeperClass(String simpleName) {
        for (String pkg : ZK_PACKAGES) {
            try {
                return Class.forName(pkg + "." + simpleName);
            } catch (ClassNotFoundException e) {
                // try the next package
            }
        }
        throw new AssertionError("ZooKeeper has no record named " + simpleName);
    }

    private static byte[] serialize(org.apache.jute.Record r) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        r.serialize(BinaryOutputArchive.getArchive(bytes), "r");
        return bytes.toByteArray();
    }

    private static void deserialize(org.apache.jute.Record r, byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        r.deserialize(BinaryInputArchive.getArchive(in), "r");
        assertThat(in.available()).as("bytes ZooKeeper left unread").isZero();
    }
}
