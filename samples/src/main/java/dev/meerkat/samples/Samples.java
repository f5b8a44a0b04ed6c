package dev.meerkat.samples;

import dev.meerkat.client.ClientOptions;
import dev.meerkat.client.MeerkatClient;
import dev.meerkat.client.MeerkatException;
import dev.meerkat.protocol.CreateMode;
import dev.meerkat.server.EmbeddedMeerkat;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the sample programs: {@code Samples NAME [--server host:port]}. Without {@code
 * --server} it starts an in-process Meerkat for the run and stops it afterwards. Each sample prints
 * what it does and ends with a one-line summary; the exit status is 0 when it worked.
 */
public final class Samples {
    /** What a sample reports at the end. */
    public record Outcome(boolean ok, String summary) {
    }

    /** One runnable sample. */
    interface Sample {
        String description();

        /**
         * @param ctx where to connect and print, and a root path of the sample's own
         */
        Outcome run(Context ctx) throws Exception;
    }

    /** What every sample gets: the server, its own root path, the output, and a way to connect. */
    static final class Context {
        final String connectString;
        final String root;
        final PrintStream out;

        Context(String connectString, String root, PrintStream out) {
            this.connectString = connectString;
            this.root = root;
            this.out = out;
        }

        /** A new client (a separate session: one per simulated process). */
        MeerkatClient connect() throws Exception {
            return MeerkatClient.connect(connectString, ClientOptions.builder()
                    .sessionTimeout(SESSION_TIMEOUT)
                    .build()).get(30, TimeUnit.SECONDS);
        }

        void say(String format, Object... args) {
            out.printf(format + "%n", args);
            out.flush();
        }
    }

    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);

    static final Map<String, Sample> SAMPLES = new LinkedHashMap<>();

    static {
        SAMPLES.put("discovery", new DiscoverySample());
        SAMPLES.put("master", new MasterSample());
        SAMPLES.put("lock", new LockSample());
        SAMPLES.put("config", new ConfigSample());
        SAMPLES.put("queue", new QueueSample());
        SAMPLES.put("barrier", new BarrierSample());
    }

    private Samples() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a sample as {@link #main} would, returning the exit status instead of exiting. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String name = null;
        String server = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--server") && i + 1 < args.length) {
                server = args[++i];
            } else if (a.startsWith("--server=")) {
                server = a.substring("--server=".length());
            } else if (a.equals("-h") || a.equals("--help")) {
                usage(out);
                return 0;
            } else if (name == null && !a.startsWith("-")) {
                name = a;
            } else {
                err.println("unexpected argument: " + a);
                usage(err);
                return 2;
            }
        }
        Sample sample = name == null ? null : SAMPLES.get(name);
        if (sample == null) {
            err.println(name == null ? "which sample?" : "no sample named " + name);
            usage(err);
            return 2;
        }
        EmbeddedMeerkat embedded = null;
        try {
            if (server == null) {
                // The one place samples touch the server module: with no --server the sample brings
                // its own in-process Meerkat, so it runs anywhere with nothing else started.
                embedded = EmbeddedMeerkat.start();
                server = embedded.connectString();
                out.println("[started an in-process Meerkat on " + server + "]");
            }
            String root = "/samples/" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
            out.println("== " + name + ": " + sample.description() + " (server " + server + ", under " + root + ")");
            Context ctx = new Context(server, root, out);
            try (MeerkatClient setup = ctx.connect()) {
                for (String path : List.of("/samples", root)) {
                    try {
                        setup.sync().create(path, null, CreateMode.PERSISTENT);
                    } catch (MeerkatException.NodeExists e) {
                        // made by an earlier run
                    }
                }
            }
            Outcome outcome = sample.run(ctx);
            out.println((outcome.ok() ? "OK " : "FAILED ") + name + ": " + outcome.summary());
            out.flush();
            return outcome.ok() ? 0 : 1;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            out.println("FAILED " + name + ": " + e);
            e.printStackTrace(err);
            return 1;
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private static void usage(PrintStream out) {
        out.println("usage: Samples NAME [--server host:port]");
        SAMPLES.forEach((n, s) -> out.printf("  %-10s %s%n", n, s.description()));
    }
}
