package dev.meerkat.server.quorum;

import dev.meerkat.server.zab.Message;
import dev.meerkat.server.zab.Proposal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

class PeerCodecTest {

    private static byte[] encode(PeerMessage m) {
        ByteBuf buf = Unpooled.buffer();
        PeerCodec.encode(m, buf);
        return ByteBufUtil.getBytes(buf);
    }

    private static PeerMessage decode(byte[] bytes) {
        return PeerCodec.decode(Unpooled.wrappedBuffer(bytes));
    }

    @Test
    void everyVariantSurvivesARoundTrip() {
        Set<Class<?>> seen = new HashSet<>();
        for (PeerMessage m : PeerMessages.all()) {
            byte[] bytes = encode(m);
            PeerMessage back = decode(bytes);
            assertThat(back).as("%s", m).usingRecursiveComparison()
                    .withComparatorForType(java.util.Arrays::compare, byte[].class)
                    .withComparatorForType(java.util.Arrays::compare, long[].class)
                    .isEqualTo(m);
            assertThat(encode(back)).as("re-encoding of %s", m).isEqualTo(bytes);
            seen.add(m instanceof PeerMessage.Zab z ? z.message().getClass() : m.getClass());
        }
        Set<Class<?>> expected = new HashSet<>();
        for (Class<?> c : PeerMessage.class.getPermittedSubclasses()) {
            if (c != PeerMessage.Zab.class) {
                expected.add(c);
            }
        }
        addLeaves(Message.class, expected);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static void addLeaves(Class<?> sealed, Set<Class<?>> into) {
        for (Class<?> c : sealed.getPermittedSubclasses()) {
            if (c.isSealed()) {
                addLeaves(c, into);
            } else {
                into.add(c);
            }
        }
    }

    @Test
    void decodedRecordsEqualTheOriginalsWhereTheyDefineEquality() {
        PeerMessage.Forward f = (PeerMessage.Forward) PeerMessages.all().stream()
                .filter(m -> m instanceof PeerMessage.Forward).findFirst().orElseThrow();
        assertThat(decode(encode(f))).isEqualTo(f);
        PeerMessage propose = PeerMessages.zab(new Message.Propose(1, 2, new Proposal(3, new byte[] {1, 2})));
        assertThat(decode(encode(propose))).isEqualTo(propose);
    }

    @Test
    void aMultiMegabyteSnapshotSurvives() {
        byte[] data = PeerMessages.bytes(24 << 20, 42);
        PeerMessage m = PeerMessages.zab(new Message.Sync(1, 0, Message.SyncKind.SNAP, 5,
                new dev.meerkat.server.zab.Snapshot(5, data), List.of(), 5));
        Message.Sync back = (Message.Sync) ((PeerMessage.Zab) decode(encode(m))).message();
        assertThat(back.snapshot().data()).isEqualTo(data);
    }

    @Test
    void trailingBytesAreMalformed() {
        byte[] bytes = encode(new PeerMessage.SyncRequest(1, 2));
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> decode(longer)).isInstanceOf(PeerCodec.MalformedMessageException.class)
                .hasMessageContaining("after");
    }

    @Test
    void emptyInputAndUnknownTypesAreMalformed() {
        assertThatThrownBy(() -> decode(new byte[0])).isInstanceOf(PeerCodec.MalformedMessageException.class);
        for (int type : new int[] {0, 14, 31, 38, 255}) {
            assertThatThrownBy(() -> decode(new byte[] {(byte) type}))
                    .isInstanceOf(PeerCodec.MalformedMessageException.class)
                    .hasMessageContaining("unknown message type");
        }
    }

    @Test
    void hugeLengthsAndCountsAreRefusedBeforeAllocating() {
        // A body claiming 2 GiB, a Touch claiming 2^31-1 ids, a Sync claiming 2^31-1 entries: each
        // followed by a handful of bytes. Allocating first would throw OutOfMemoryError, not this.
        ByteBuf forward = Unpooled.buffer().writeByte(PeerCodec.FORWARD).writeLong(1).writeInt(2).writeInt(3)
                .writeInt(Integer.MAX_VALUE).writeLong(0);
        ByteBuf touch = Unpooled.buffer().writeByte(PeerCodec.TOUCH).writeInt(Integer.MAX_VALUE).writeLong(0);
        ByteBuf sync = Unpooled.buffer().writeByte(PeerCodec.SYNC).writeLong(1).writeLong(0).writeByte(0)
                .writeLong(0).writeByte(0).writeInt(Integer.MAX_VALUE).writeLong(1);
        ByteBuf negative = Unpooled.buffer().writeByte(PeerCodec.CREATE_SESSION).writeLong(1).writeInt(2)
                .writeInt(-1);
        for (ByteBuf b : List.of(forward, touch, sync, negative)) {
            assertThatThrownBy(() -> PeerCodec.decode(b)).isInstanceOf(PeerCodec.MalformedMessageException.class);
        }
    }

    @Test
    void outOfRangeFieldsAreMalformed() {
        ByteBuf badRole = Unpooled.buffer().writeByte(PeerCodec.NOTIFICATION).writeInt(1).writeLong(1).writeLong(1)
                .writeLong(1).writeByte(4).writeByte(1);
        ByteBuf badBool = Unpooled.buffer().writeByte(PeerCodec.FOLLOWER_INFO).writeLong(1).writeByte(2)
                .writeLong(1);
        ByteBuf badKind = Unpooled.buffer().writeByte(PeerCodec.SYNC).writeLong(1).writeLong(0).writeByte(3)
                .writeLong(0).writeByte(0).writeInt(0).writeLong(1);
        ByteBuf zeroZxid = Unpooled.buffer().writeByte(PeerCodec.PROPOSE).writeLong(1).writeLong(0).writeLong(0)
                .writeInt(0);
        ByteBuf noSpans = Unpooled.buffer().writeByte(PeerCodec.ACK_EPOCH).writeLong(1).writeLong(1).writeByte(1)
                .writeLong(1).writeLong(1).writeInt(0);
        ByteBuf spansOutOfOrder = Unpooled.buffer().writeByte(PeerCodec.ACK_EPOCH).writeLong(1).writeLong(1)
                .writeByte(1).writeLong(1).writeLong(1).writeInt(2)
                .writeLong(2L << 32).writeLong(2L << 32).writeLong(1L << 32).writeLong(1L << 32);
        ByteBuf negativeSnapshotZxid = Unpooled.buffer().writeByte(PeerCodec.SYNC).writeLong(1).writeLong(0)
                .writeByte(2).writeLong(0).writeByte(1).writeLong(-5).writeInt(0).writeInt(0).writeLong(1);
        for (ByteBuf b : List.of(badRole, badBool, badKind, zeroZxid, noSpans, spansOutOfOrder,
                negativeSnapshotZxid)) {
            assertThatThrownBy(() -> PeerCodec.decode(b)).isInstanceOf(PeerCodec.MalformedMessageException.class);
        }
    }

    @Test
    void everyTruncationOfEveryValidEncodingIsMalformed() {
        for (PeerMessage m : PeerMessages.all()) {
            byte[] bytes = encode(m);
            int step = bytes.length > 4096 ? bytes.length / 512 : 1;
            for (int len = 0; len < bytes.length; len += step) {
                byte[] cut = java.util.Arrays.copyOf(bytes, len);
                assertThatThrownBy(() -> decode(cut)).as("%s cut to %d bytes", m, len)
                        .isInstanceOf(PeerCodec.MalformedMessageException.class);
            }
        }
    }

    @Test
    void fuzzedInputEitherDecodesOrIsMalformed() {
        List<byte[]> valid = new ArrayList<>();
        for (PeerMessage m : PeerMessages.all()) {
            byte[] b = encode(m);
            if (b.length < 4096) {
                valid.add(b);
            }
        }
        int[] types = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 32, 33, 34, 35, 36};
        for (long seed = 1; seed <= 4; seed++) {
            Random rnd = new Random(seed);
            int decoded = 0;
            for (int i = 0; i < 2000; i++) {
                byte[] input;
                switch (rnd.nextInt(4)) {
                    case 0 -> {
                        input = new byte[rnd.nextInt(80)];
                        rnd.nextBytes(input);
                        if (input.length > 0) {
                            input[0] = (byte) types[rnd.nextInt(types.length)];
                        }
                    }
                    case 1 -> {
                        byte[] v = valid.get(rnd.nextInt(valid.size()));
                        input = java.util.Arrays.copyOf(v, rnd.nextInt(v.length + 1));
                    }
                    case 2 -> {
                        input = valid.get(rnd.nextInt(valid.size())).clone();
                        for (int flips = 1 + rnd.nextInt(3); flips > 0; flips--) {
                            int bit = rnd.nextInt(input.length * 8);
                            input[bit / 8] ^= (byte) (1 << (bit % 8));
                        }
                    }
                    default -> {
                        input = valid.get(rnd.nextInt(valid.size())).clone();
                        // Overwrite four bytes with a hostile int: where a length sits, it is a huge or negative one.
                        int at = rnd.nextInt(Math.max(1, input.length - 3));
                        int v = switch (rnd.nextInt(4)) {
                            case 0 -> Integer.MAX_VALUE;
                            case 1 -> -1;
                            case 2 -> Integer.MIN_VALUE;
                            default -> rnd.nextInt();
                        };
                        for (int k = 0; k < 4 && at + k < input.length; k++) {
                            input[at + k] = (byte) (v >>> (24 - 8 * k));
                        }
                    }
                }
                try {
                    PeerMessage m = decode(input);
                    decoded++;
                    // Whatever decodes is a message the codec can write back, byte for byte.
                    assertThat(encode(m)).isEqualTo(input);
                } catch (PeerCodec.MalformedMessageException expected) {
                    // fine
                } catch (Throwable t) {
                    fail("seed " + seed + " try " + i + ": " + ByteBufUtil.hexDump(input) + " threw " + t, t);
                }
            }
            assertThat(decoded).as("some fuzzed inputs still decode (seed %d)", seed).isPositive();
        }
    }
}
