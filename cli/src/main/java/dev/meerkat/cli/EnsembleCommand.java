package dev.meerkat.cli;

import dev.meerkat.server.ServerMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code meerkat ensemble [N]}: a local ensemble of N servers on loopback, each in a JVM of its own
 * (so one can be killed with {@code kill -9} to watch a failover), stopped together with Ctrl-C.
 */
@Command(name = "ensemble", mixinStandardHelpOptions = true,
        description = "Run a local ensemble on loopback: client ports 2181.., quorum ports 2888.., "
                + "election ports 3888.., data under ./data/ensemble. Ctrl-C stops all of it.")
final class EnsembleCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", defaultValue = "3", paramLabel = "N",
            description = "number of servers (odd, 1 to 9; default ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--data", defaultValue = "data/ensemble", description = "data directory (default ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--client-port", defaultValue = "2181", description = "first client port (default ${DEFAULT-VALUE})")
    int clientPort;

    @Option(names = "--observers", defaultValue = "0", description = "how many of the N are observers")
    int observers;

    @Override
    public Integer call() throws Exception {
        if (size < 1 || size > 9) {
            System.err.println("N must be between 1 and 9");
            return 2;
        }
        if (observers < 0 || observers >= size) {
            System.err.println("--observers must leave at least one participant");
            return 2;
        }
        List<Path> configs = writeConfigs();
        List<Process> servers = new ArrayList<>();
        CountDownLatch allGone = new CountDownLatch(size);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            servers.forEach(Process::destroy);
            for (Process p : servers) {
                try {
                    p.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }, "meerkat-ensemble-stop"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int id = 1; id <= size; id++) {
            Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                    ServerMain.class.getName(), configs.get(id - 1).toString()).redirectErrorStream(true).start();
            servers.add(p);
            System.out.printf("server %d: pid %d, client port %d, config %s%n", id, p.pid(), clientPort + id - 1,
                    configs.get(id - 1));
            pipe(id, p, allGone);
        }
        System.out.printf("Connect with: bin/meerkat cli -server %s%n", connectString());
        allGone.await();
        return 0;
    }

    private String connectString() {
        StringBuilder sb = new StringBuilder();
        for (int id = 1; id <= size; id++) {
            sb.append(id > 1 ? "," : "").append("127.0.0.1:").append(clientPort + id - 1);
        }
        return sb.toString();
    }

    private List<Path> writeConfigs() throws IOException {
        StringBuilder servers = new StringBuilder();
        for (int id = 1; id <= size; id++) {
            servers.append("server.").append(id).append("=127.0.0.1:").append(2887 + id).append(':')
                    .append(3887 + id).append(id > size - observers ? ":observer" : "").append('\n');
        }
        List<Path> out = new ArrayList<>();
        for (int id = 1; id <= size; id++) {
            Path dir = data.toAbsolutePath().resolve("server" + id);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("myid"), id + "\n");
            Path cfg = data.toAbsolutePath().resolve("zoo" + id + ".cfg");
            Files.writeString(cfg, "tickTime=2000\ninitLimit=10\nsyncLimit=5\n"
                    + "dataDir=" + dir + "\n"
                    + "clientPort=" + (clientPort + id - 1) + "\nclientPortAddress=127.0.0.1\n"
                    + (id > size - observers ? "peerType=observer\n" : "")
                    + "4lw.commands.whitelist=srvr,stat,mntr,conf,ruok\n"
                    + servers);
            out.add(cfg);
        }
        return out;
    }

    /** Copies a server's output to ours, each line prefixed with its id. */
    private static void pipe(int id, Process p, CountDownLatch gone) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    System.out.println("[" + id + "] " + line);
                }
            } catch (IOException e) {
                // the process is gone
            }
            gone.countDown();
        }, "ensemble-output-" + id);
        t.setDaemon(true);
        t.start();
    }
}
