package dev.meerkat.bench.compare;

import dev.meerkat.bench.BenchLogging;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One standalone server (Meerkat or Apache ZooKeeper) in a JVM of its own, with its own config,
 * data directory and log file under one directory. Both kinds get the same zoo.cfg apart from the
 * paths and port, and the same JVM options.
 *
 * <p>Every started process is registered until it has exited, so that {@link #stopAll()} (called
 * from a shutdown hook and from finally blocks) can stop whatever is left, also on failure.
 */
public final class ServerProcess implements AutoCloseable {

    /** Which server, and the main classes that run it standalone and as an ensemble member. */
    public enum Kind {
        MEERKAT("meerkat", "Meerkat", "dev.meerkat.server.ServerMain", "dev.meerkat.server.ServerMain"),
        ZOOKEEPER("zookeeper", "ZooKeeper 3.9.5", "org.apache.zookeeper.server.ZooKeeperServerMain",
                "org.apache.zookeeper.server.quorum.QuorumPeerMain");

        public final String id;
        public final String display;
        final String mainClass;
        final String memberMainClass;

        Kind(String id, String display, String mainClass, String memberMainClass) {
            this.id = id;
            this.display = display;
            this.mainClass = mainClass;
            this.memberMainClass = memberMainClass;
        }
    }

    /**
     * What both servers share.
     *
     * @param java the java launcher
     * @param classpath holds both servers, their dependencies and the logging config
     * @param heap the -Xmx value, e.g. 1g
     * @param tickTime milliseconds
     * @param snapCount txns between snapshots (both servers randomise it the same way)
     * @param extraConfig {@code key=value} lines for both zoo.cfg files; a key given here replaces
     *     the default line of the same key
     */
    public record Settings(Path java, String classpath, String heap, int tickTime, int snapCount,
            List<String> extraConfig) {
        public Settings {
            Objects.requireNonNull(java, "java");
            Objects.requireNonNull(classpath, "classpath");
            Objects.requireNonNull(heap, "heap");
            extraConfig = List.copyOf(extraConfig);
        }

        public Settings(Path java, String classpath, String heap, int tickTime, int snapCount) {
            this(java, classpath, heap, tickTime, snapCount, List.of());
        }

        /** The JVM options, identical for both kinds. */
        List<String> jvmOptions() {
            return List.of(
                    // -Xmx only: with a fixed -Xms the heap could not shrink after the full GC
                    // that precedes each memory reading, and RSS would show free heap
                    "-Xmx" + heap,
                    "-XX:+UseG1GC",
                    "-D" + BenchLogging.PROPERTY + "=" + BenchLogging.SERVER_CONFIG,
                    // Apache ZooKeeper's admin HTTP server would take port 8080 in both JVMs;
                    // Meerkat ignores the property
                    "-Dzookeeper.admin.enableServer=false");
        }
    }

    private static final Set<ServerProcess> LIVE = ConcurrentHashMap.newKeySet();
    private static final Pattern HEAP_INFO = Pattern.compile("total (\\d+)K, used (\\d+)K");

    private final Kind kind;
    private final Path dir;
    private final Settings settings;
    private final int port;
    private final Path config;
    private final Path log;
    private final String mainClass;
    private final int memberId;
    private Process process;
    private int starts;

    private ServerProcess(Kind kind, Path dir, Settings settings, int port, int memberId, List<String> ensemble)
            throws IOException {
        this.kind = kind;
        this.dir = dir;
        this.settings = settings;
        this.port = port;
        this.memberId = memberId;
        this.mainClass = memberId > 0 ? kind.memberMainClass : kind.mainClass;
        Files.createDirectories(dir.resolve("data"));
        this.config = dir.resolve("zoo.cfg");
        this.log = dir.resolve("server.log");
        if (memberId > 0) {
            Files.writeString(dir.resolve("data").resolve("myid"), memberId + "\n", StandardCharsets.UTF_8);
        }
        Files.writeString(config, configText(dir.resolve("data"), port, settings, ensemble), StandardCharsets.UTF_8);
    }

    /** Prepares (does not start) a server in {@code dir}, which gets zoo.cfg, data/ and server.log. */
    public static ServerProcess create(Kind kind, Path dir, Settings settings) throws IOException {
        return new ServerProcess(kind, dir, settings, freePort(), 0, List.of());
    }

    /**
     * Prepares (does not start) member {@code id} of an ensemble in {@code dir}: as
     * {@link #create}, plus data/myid and the ensemble's lines ({@link #ensembleLines}) in zoo.cfg,
     * run by the kind's quorum main class.
     */
    public static ServerProcess createMember(Kind kind, Path dir, Settings settings, int id, int clientPort,
            List<String> ensembleLines) throws IOException {
        if (id <= 0) {
            throw new IllegalArgumentException("member ids start at 1");
        }
        return new ServerProcess(kind, dir, settings, clientPort, id, ensembleLines);
    }

    /**
     * The zoo.cfg lines every member of an ensemble shares: ZooKeeper's sample initLimit and
     * syncLimit (in ticks), srvr among the four-letter words (to find the leader), and one
     * {@code server.N=127.0.0.1:quorumPort:electionPort} per member, on free ports.
     */
    public static List<String> ensembleLines(int members, int initLimit, int syncLimit) throws IOException {
        return ensembleLines(initLimit, syncLimit, freePorts(2 * members));
    }

    /** As above, with the quorum and election ports given: two per member, in member order. */
    static List<String> ensembleLines(int initLimit, int syncLimit, int[] ports) {
        List<String> lines = new ArrayList<>();
        lines.add("initLimit=" + initLimit);
        lines.add("syncLimit=" + syncLimit);
        lines.add("4lw.commands.whitelist=srvr,stat,mntr,ruok");
        for (int id = 1; id <= ports.length / 2; id++) {
            lines.add("server." + id + "=127.0.0.1:" + ports[2 * id - 2] + ":" + ports[2 * id - 1]);
        }
        return lines;
    }

    /** {@code n} distinct free ports: all sockets stay open until every port is chosen. */
    static int[] freePorts(int n) throws IOException {
        List<ServerSocket> open = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int k = 0; k < n; k++) {
                ServerSocket s = new ServerSocket(0);
                s.setReuseAddress(true);
                open.add(s);
                ports[k] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : open) {
                s.close();
            }
        }
    }

    static String configText(Path dataDir, int port, Settings s) {
        return configText(dataDir, port, s, List.of());
    }

    static String configText(Path dataDir, int port, Settings s, List<String> ensemble) {
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("tickTime", Integer.toString(s.tickTime()));
        cfg.put("dataDir", dataDir.toAbsolutePath().toString());
        cfg.put("clientPort", Integer.toString(port));
        cfg.put("clientPortAddress", "127.0.0.1");
        // ZooKeeper's default, written out so that both servers visibly fsync
        cfg.put("forceSync", "yes");
        cfg.put("snapCount", Integer.toString(s.snapCount()));
        // 64 MB, both servers' default
        cfg.put("preAllocSize", "65536");
        List<String> lines = new ArrayList<>(ensemble);
        lines.addAll(s.extraConfig());
        for (String line : lines) {
            int eq = line.indexOf('=');
            cfg.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
        StringBuilder sb = new StringBuilder("# written by dev.meerkat.bench.compare.Compare\n");
        cfg.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    public Kind kind() {
        return kind;
    }

    public int port() {
        return port;
    }

    public String connectString() {
        return "127.0.0.1:" + port;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    public Path directory() {
        return dir;
    }

    public Path logFile() {
        return log;
    }

    /**
     * Launches the JVM; output is appended to server.log.
     *
     * @return System.nanoTime() just before the launch
     */
    public synchronized long start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(kind.display + " is already running");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(settings.java().toString());
        cmd.addAll(settings.jvmOptions());
        cmd.add("-cp");
        cmd.add(settings.classpath());
        cmd.add(mainClass);
        cmd.add(config.toAbsolutePath().toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // The launch time, to read how long the JVM took to its first log line and to recovery.
        Files.writeString(log, "=== start " + (++starts) + " at " + java.time.LocalTime.now() + ": "
                + String.join(" ", cmd) + "\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        long t = System.nanoTime();
        process = pb.start();
        LIVE.add(this);
        return t;
    }

    /**
     * Waits until a getData of {@code path} is answered.
     *
     * @return the node's data length
     * @throws IOException if the server exits, answers that the node does not exist (for a restart
     *     that means lost data), or does not answer within {@code timeout}
     */
    public int awaitAnswer(String path, Duration timeout) throws IOException, InterruptedException {
        Process p = process;
        if (p == null) {
            throw new IllegalStateException(kind.display + " was not started");
        }
        Probe.Answer a = Probe.await(address(), path, timeout, p::isAlive);
        if (a != null && a.outcome() == Probe.Outcome.ANSWERED) {
            return a.dataLength();
        }
        if (a != null) {
            throw new IOException(kind.display + " answered that " + path + " does not exist");
        }
        if (!p.isAlive()) {
            throw new IOException(kind.display + " exited (code " + p.exitValue() + ") before answering; see "
                    + log + "\n" + tail());
        }
        throw new IOException(kind.display + " did not answer within " + timeout.toSeconds() + " s; see " + log
                + "\n" + tail());
    }

    /** The member id, or 0 for a standalone server. */
    public int memberId() {
        return memberId;
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /**
     * What {@code srvr} says of the server's role: leader, follower, standalone, or observer once
     * it serves; "looking" while it does not (both servers answer srvr then, with different
     * words); "down" when nothing answers on its port.
     */
    public String mode() {
        String srvr;
        try {
            srvr = fourLetterWord("srvr");
        } catch (IOException e) {
            return "down";
        }
        int at = srvr.indexOf("Mode: ");
        if (at < 0) {
            return "looking";
        }
        int end = srvr.indexOf('\n', at);
        return srvr.substring(at + 6, end < 0 ? srvr.length() : end).trim();
    }

    /** Sends a four-letter word and returns the whole answer (the server closes the connection). */
    public String fourLetterWord(String word) throws IOException {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(address(), 1000);
            s.setSoTimeout(2000);
            s.getOutputStream().write(word.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * SIGKILL, as a crash: no clean shutdown. Waits for the JVM to be gone.
     *
     * @return System.nanoTime() just before the signal
     */
    public synchronized long kill9() throws InterruptedException {
        Process p = process;
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException(kind.display + " is not running");
        }
        long t = System.nanoTime();
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(kind.display + " still runs 30 s after SIGKILL");
        }
        LIVE.remove(this);
        return t;
    }

    public long pid() {
        return process.pid();
    }

    /**
     * User plus system CPU time of the server's JVM so far, from /proc/PID/stat, in nanoseconds
     * (the kernel counts in ticks of 10 ms).
     */
    public long cpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
            // the command name (field 2) is in parentheses and may hold spaces: count from after it
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** USER_HZ, 100 on every Linux the benchmarks run on (getconf CLK_TCK). */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    /** VmRSS of the server's JVM from /proc, in KiB. */
    public long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid() + "/status");
    }

    /** Runs a full GC in the server's JVM (jcmd GC.run) and waits a moment for memory to be returned. */
    public void fullGc() throws IOException, InterruptedException {
        jcmd("GC.run");
        Thread.sleep(500);
    }

    /** Java heap in use after the last GC, in KiB (jcmd GC.heap_info). */
    public long heapUsedKb() throws IOException, InterruptedException {
        String out = jcmd("GC.heap_info");
        Matcher m = HEAP_INFO.matcher(out);
        if (!m.find()) {
            throw new IOException("cannot read the heap use from jcmd GC.heap_info:\n" + out);
        }
        return Long.parseLong(m.group(2));
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Path jcmd = settings.java().resolveSibling("jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), command).redirectErrorStream(true)
                .start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(jcmd + " " + pid() + " " + command + " failed:\n" + out);
            }
            return out;
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * Stops the server the way an operator does: SIGTERM, then waits for the JVM to exit (SIGKILL
     * after 30 s, which is then reported).
     *
     * @return milliseconds from the signal to the exit
     */
    public synchronized long stop() throws InterruptedException {
        Process p = process;
        if (p == null) {
            return 0;
        }
        try {
            if (!p.isAlive()) {
                return 0;
            }
            long t = System.nanoTime();
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
                throw new IllegalStateException(kind.display + " did not stop within 30 s of SIGTERM; killed");
            }
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t);
        } finally {
            if (!p.isAlive()) {
                LIVE.remove(this);
            }
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        } catch (IllegalStateException e) {
            // killed, which is all close promises
        }
    }

    private void kill() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
        }
    }

    /** Stops every server still running: SIGTERM, then SIGKILL for any not gone after 10 s. */
    public static void stopAll() {
        List<ServerProcess> left = new ArrayList<>(LIVE);
        for (ServerProcess s : left) {
            Process p = s.process;
            if (p != null && p.isAlive()) {
                p.destroy();
            }
        }
        for (ServerProcess s : left) {
            Process p = s.process;
            if (p == null) {
                continue;
            }
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            if (!p.isAlive()) {
                LIVE.remove(s);
            }
        }
    }

    /** How many started servers have not exited yet (for tests). */
    public static int running() {
        LIVE.removeIf(s -> s.process == null || !s.process.isAlive());
        return LIVE.size();
    }

    /** The last lines of the server's log, for error messages. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }
}
