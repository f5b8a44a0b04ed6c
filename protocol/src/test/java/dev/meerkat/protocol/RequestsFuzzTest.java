package dev.meerkat.protocol;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import io.netty.buffer.Unpooled;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Hostile or corrupt request bodies must end in a JuteException (a MARSHALLINGERROR reply) or an
 * IllegalArgumentException, never in an unchecked failure that would kill the connection's thread.
 */
class RequestsFuzzTest {

    @Provide
    Arbitrary<Integer> knownOps() {
        return Arbitraries.of(IntStream.rangeClosed(-20, 200).filter(Requests::isKnown).boxed().toList());
    }

    @Property(tries = 3000)
    void randomBytesDecodeOrFailCleanly(@ForAll("knownOps") int op, @ForAll @Size(max = 64) byte[] body) {
        decode(op, body);
    }

    /**
     * Uniform random bytes almost always fail at the first length field, so this generator builds
     * bodies from pieces a decoder takes seriously: small lengths and counts, booleans, multi
     * headers and terminators, mixed with noise. That reaches the deeper decoding paths.
     */
    @Property(tries = 5000)
    void plausibleBodiesDecodeOrFailCleanly(@ForAll("knownOps") int op, @ForAll("plausibleBodies") byte[] body) {
        String outcome = decode(op, body);
        Statistics.label("outcome").collect(outcome);
        Statistics.label("outcome").coverage(c -> c.check("decoded").percentage(p -> p > 2));
    }

    @Provide
    Arbitrary<byte[]> plausibleBodies() {
        Arbitrary<byte[]> smallInt = Arbitraries.integers().between(-3, 24).map(RequestsFuzzTest::intBytes);
        Arbitrary<byte[]> anyInt = Arbitraries.integers().map(RequestsFuzzTest::intBytes);
        Arbitrary<byte[]> bool = Arbitraries.of(new byte[] {0}, new byte[] {1});
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(9);
        Arbitrary<byte[]> multiHeader = Arbitraries.of(1, 2, 4, 5, 8, 13, 15, 19, 20, 21, 3, 14, -1)
                .flatMap(type -> Arbitraries.of(true, false).map(done -> multiHeader(type, done)));
        Arbitrary<byte[]> piece = Arbitraries.frequencyOf(
                Tuple.of(6, smallInt), Tuple.of(1, anyInt),
                Tuple.of(2, bool), Tuple.of(2, noise),
                Tuple.of(3, multiHeader));
        return piece.list().ofMaxSize(30).map(RequestsFuzzTest::concat);
    }

    private static String decode(int op, byte[] body) {
        try {
            return Requests.readBody(op, new JuteInput(Unpooled.wrappedBuffer(body))) == null ? "no body" : "decoded";
        } catch (JuteException e) {
            return "JuteException";
        } catch (IllegalArgumentException e) {
            return "IllegalArgumentException";
        }
    }

    private static byte[] intBytes(int i) {
        return ByteBuffer.allocate(4).putInt(i).array();
    }

    private static byte[] multiHeader(int type, boolean done) {
        return ByteBuffer.allocate(9).putInt(type).put((byte) (done ? 1 : 0)).putInt(-1).array();
    }

    private static byte[] concat(List<byte[]> pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        pieces.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
