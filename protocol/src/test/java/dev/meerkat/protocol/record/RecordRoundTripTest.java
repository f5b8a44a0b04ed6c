package dev.meerkat.protocol.record;

import dev.meerkat.protocol.jute.Jute;
import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.Record;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class RecordRoundTripTest {

    static List<RecordSamples.Sample> samples() {
        return RecordSamples.all();
    }

    /**
     * Compares field by field, arrays by content, because a record's generated equals compares
     * byte[] components by reference.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void writeThenReadGivesTheSameValue(RecordSamples.Sample sample) throws JuteException {
        byte[] bytes = Jute.toBytes(sample.value());
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        JuteInput in = new JuteInput(buf);

        Record decoded = sample.reader().read(in);

        assertThat(in.remaining()).as("bytes left after decoding").isZero();
        assertThat(decoded).usingRecursiveComparison().withStrictTypeChecking().isEqualTo(sample.value());
        assertThat(Jute.toBytes(decoded)).isEqualTo(bytes);
    }

    @Test
    void everyRecordInThePackageHasSamplesAndAStaticReader() throws Exception {
        Set<String> sampled = samples().stream()
                .map(s -> s.value().getClass().getSimpleName())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<Class<?>> records = recordClassesInPackage();

        assertThat(records).hasSizeGreaterThanOrEqualTo(50);
        for (Class<?> c : records) {
            assertThat(sampled).as("samples of %s", c.getSimpleName()).contains(c.getSimpleName());
            Method read = c.getMethod("read", JuteInput.class);
            assertThat(Modifier.isStatic(read.getModifiers())).as("%s.read is static", c.getSimpleName()).isTrue();
            assertThat(read.getReturnType()).isEqualTo(c);
        }
    }

    /** Finds the classes by listing the compiled package, so a record added later without samples fails here. */
    private static Set<Class<?>> recordClassesInPackage() throws Exception {
        String pkg = Stat.class.getPackageName();
        Set<Class<?>> out = new HashSet<>();
        for (URL url : Collections.list(Stat.class.getClassLoader().getResources(pkg.replace('.', '/')))) {
            File[] files = directoryOf(url).listFiles((dir, name) -> name.endsWith(".class") && !name.contains("$"));
            for (File f : files == null ? new File[0] : files) {
                Class<?> c = Class.forName(pkg + "." + f.getName().replace(".class", ""));
                if (c.isRecord() && Record.class.isAssignableFrom(c)) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    private static File directoryOf(URL url) throws URISyntaxException {
        assertThat(url.getProtocol()).as("tests run against class directories").isEqualTo("file");
        return new File(url.toURI());
    }
}
