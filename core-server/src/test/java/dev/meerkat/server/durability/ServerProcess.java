package dev.meerkat.server.durability;

import dev.meerkat.server.ServerMain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link ServerMain} in a JVM of its own, so that a test can kill it with SIGKILL. Its output
 * (stdout and stderr together) is read continuously; the last lines are kept for failure messages.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("Meerkat serving on (\\S+):(\\d+)");
    private static final int KEPT_LINES = 400;

    private final Process process;
    private final Thread reader;
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final Deque<String> lines = new ArrayDeque<>();
    private final List<String> recoveryLines = new ArrayList<>();

    private ServerProcess(Process process) {
        this.process = process;
        this.reader = new Thread(this::readOutput, "server-process-output");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Starts {@code ServerMain zooCfg} and returns once it prints its ready line (or fails if it exits first). */
    static ServerProcess start(Path zooCfg) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        if (!Files.isExecutable(Path.of(java))) {
            java = ProcessHandle.current().info().command().orElseThrow();
        }
        List<String> cmd = List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), ServerMain.class.getName(), zooCfg.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        ServerProcess p = new ServerProcess(pb.start());
        boolean ok = false;
        try {
            p.awaitReady();
            ok = true;
            return p;
        } finally {
            if (!ok) {
                p.kill();
            }
        }
    }

    private void awaitReady() throws InterruptedException {
        try {
            port.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("server process did not start: " + e.getCause().getMessage() + "\n" + output());
        } catch (TimeoutException e) {
            throw new AssertionError("server process printed no ready line within 30 s\n" + output());
        }
    }

    private void readOutput() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (lines) {
                    lines.addLast(line);
                    if (lines.size() > KEPT_LINES) {
                        lines.removeFirst();
                    }
                    if (line.contains("Recovered ")) {
                        recoveryLines.add(line);
                    }
                }
                Matcher m = READY.matcher(line);
                if (m.find()) {
                    port.complete(Integer.parseInt(m.group(2)));
                }
            }
        } catch (IOException e) {
            // the process is gone; fall through
        }
        port.completeExceptionally(new IllegalStateException("process ended (exit "
                + (process.isAlive() ? "?" : process.exitValue()) + ") before it was ready"));
    }

    int port() {
        return port.join();
    }

    String connectString() {
        return "127.0.0.1:" + port();
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The log lines in which the server reported what it recovered at start-up. */
    List<String> recoveryLines() {
        synchronized (lines) {
            return List.copyOf(recoveryLines);
        }
    }

    /** The last lines the process printed. */
    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /** SIGKILL (on Linux {@link Process#destroyForcibly()} sends it), and wait until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("process " + process.pid() + " survived SIGKILL for 30 s");
        }
    }

    /** SIGTERM, which runs the server's shutdown hook (a clean stop); SIGKILL if it does not stop in 15 s. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            kill();
        }
        reader.join(5000);
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
        reader.join(5000);
    }
}
