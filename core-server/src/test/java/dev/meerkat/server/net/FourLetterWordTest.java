package dev.meerkat.server.net;

import dev.meerkat.protocol.CreateMode;
import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.protocol.record.ConnectResponse;
import dev.meerkat.protocol.record.CreateRequest;
import dev.meerkat.protocol.record.ExistsRequest;
import dev.meerkat.protocol.record.GetDataRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Four-letter words (zk-protocol.md §11): plain-text commands sent as a connection's first bytes. */
class FourLetterWordTest {
    private static final List<String> ALL_WORDS = List.of("conf", "cons", "crst", "dirs", "dump", "envi", "gtmk",
            "hash", "isro", "mntr", "ruok", "srst", "srvr", "stat", "stmk", "wchc", "wchp", "wchs");
    /** ZooKeeper's default trace mask (ZooTrace): client requests, server packets, sessions, warnings. */
    private static final long DEFAULT_TRACE_MASK = 306;

    /** Whether a connection's first four bytes, read as a length, would be taken as a known word. */
    static boolean isWord(int firstInt) {
        byte[] b = ByteBuffer.allocate(4).putInt(firstInt).array();
        return ALL_WORDS.contains(new String(b, StandardCharsets.ISO_8859_1));
    }

    static String ask(TestServer server, String word) throws IOException {
        try (RawClient c = RawClient.connect(server.port())) {
            c.sendRaw(word.getBytes(StandardCharsets.US_ASCII));
            return c.readAllText();
        }
    }

    static Map<String, String> keyValues(String text, String separator) {
        return Arrays.stream(text.split("\n"))
                .filter(line -> line.contains(separator))
                .collect(Collectors.toMap(line -> line.substring(0, line.indexOf(separator)),
                        line -> line.substring(line.indexOf(separator) + separator.length()), (a, b) -> a));
    }

    /** The srvr lines, as ZooKeeper prints them; the version is ours, so only its prefix is fixed. */
    static void assertServerLines(String text) {
        List<String> lines = List.of(text.split("\n"));
        assertThat(text).endsWith("\n");
        assertThat(lines.get(0)).matches("Zookeeper version: 3\\.9\\.5-\\S+, built on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC");
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("Latency min/avg/max: \\d+/\\d+\\.\\d+/\\d+"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("Received: \\d+"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("Sent: \\d+"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("Connections: \\d+"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("Outstanding: \\d+"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("Zxid: 0x[0-9a-f]+"));
        assertThat(lines).contains("Mode: standalone");
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("Node count: \\d+"));
    }

    static long number(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .map(l -> Long.parseLong(l.substring(prefix.length()).trim()))
                .orElseThrow(() -> new AssertionError("no line '" + prefix + "' in:\n" + text));
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class DefaultWhitelist {
        private TestServer server;

        @BeforeAll
        void start() {
            server = TestServer.settings().start();
        }

        @AfterAll
        void stop() {
            if (server != null) {
                server.close();
            }
        }

        @Test
        void srvrIsAlwaysAllowed() throws IOException {
            assertServerLines(ask(server, "srvr"));
        }

        @Test
        void everyOtherKnownWordIsRefusedWithTheWhitelistMessage() throws IOException {
            for (String word : ALL_WORDS) {
                if (word.equals("srvr")) {
                    continue;
                }
                assertThat(ask(server, word)).as(word)
                        .isEqualTo(word + " is not executed because it is not in the whitelist.\n");
            }
        }

        @Test
        void anUnknownWordIsReadAsAFrameLengthAndTheConnectionClosesSilently() throws IOException {
            for (String word : List.of("abcd", "RUOK", "zzzz")) {
                assertThat(ask(server, word)).as(word).isEmpty();
            }
        }

        @Test
        void bytesAfterAWordAreIgnored() throws IOException {
            try (RawClient c = RawClient.connect(server.port())) {
                c.sendRaw("srvr".getBytes(StandardCharsets.US_ASCII));
                // a whole ConnectRequest behind the word must not start a session
                c.sendRecords(RawClient.newSession(30_000));
                assertServerLines(c.readAllText());
            }
        }

        @Test
        void aWordAfterTheHandshakeIsAFrameLengthNotACommand() throws IOException {
            try (RawClient c = RawClient.connect(server.port())) {
                c.handshake();
                c.sendRaw("srvr".getBytes(StandardCharsets.US_ASCII));
                c.assertClosedWithoutReply();
            }
        }
    }

    @Test
    void aFreshServerReportsZxidZeroAndFiveNodes() throws IOException {
        try (TestServer fresh = TestServer.settings().start()) {
            String srvr = ask(fresh, "srvr");
            assertServerLines(srvr);
            assertThat(srvr).contains("Zxid: 0x0\n", "Node count: 5\n", "Outstanding: 0\n");
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class AllWordsWhitelisted {
        private TestServer server;

        @BeforeAll
        void start() {
            server = TestServer.settings().fourLetterWhitelist("*").start();
        }

        @AfterAll
        void stop() {
            if (server != null) {
                server.close();
            }
        }

        private RawClient sessionWithWatchAndEphemeral(String path) throws IOException {
            RawClient c = RawClient.connect(server.port());
            try {
                c.handshake(RawClient.newSession(30_000));
                c.send(1, OpCode.CREATE, new CreateRequest(path, new byte[] {1, 2, 3}, ACL.OPEN_ACL_UNSAFE,
                        CreateMode.EPHEMERAL.flag()));
                assertThat(c.readReply().err()).isZero();
                c.send(2, OpCode.GET_DATA, new GetDataRequest(path, true));
                assertThat(c.readReply().err()).isZero();
                return c;
            } catch (IOException | RuntimeException | Error e) {
                c.close();
                throw e;
            }
        }

        @Test
        void ruokAnswersImok() throws IOException {
            assertThat(ask(server, "ruok")).isEqualTo("imok");
        }

        @Test
        void isroAnswersRwOnAWritableServer() throws IOException {
            assertThat(ask(server, "isro")).isEqualTo("rw");
        }

        @Test
        void srvrCountsRequests() throws IOException {
            long before = number(ask(server, "srvr"), "Received:");
            try (RawClient c = RawClient.connect(server.port())) {
                c.handshake();
                for (int i = 0; i < 3; i++) {
                    c.send(i + 1, OpCode.EXISTS, new ExistsRequest("/", false));
                    c.readReply();
                }
                String srvr = ask(server, "srvr");
                assertServerLines(srvr);
                assertThat(number(srvr, "Received:")).isGreaterThanOrEqualTo(before + 4);
                assertThat(number(srvr, "Connections:")).isGreaterThanOrEqualTo(1);
            }
        }

        @Test
        void statListsClientsThenTheServerLines() throws IOException {
            try (RawClient c = RawClient.connect(server.port())) {
                c.handshake();
                String stat = ask(server, "stat");
                String[] parts = stat.split("\n\n", 2);
                assertThat(parts).hasSize(2);
                List<String> head = List.of(parts[0].split("\n"));
                assertThat(head.get(0)).startsWith("Zookeeper version: 3.9.5-");
                assertThat(head.get(1)).isEqualTo("Clients:");
                assertThat(head.subList(2, head.size())).isNotEmpty().allSatisfy(line -> assertThat(line)
                        .matches(" /127\\.0\\.0\\.1:\\d+\\[\\d+]\\(queued=\\d+,recved=\\d+,sent=\\d+\\)"));
                assertThat(parts[1]).startsWith("Latency min/avg/max: ").contains("Mode: standalone\n");
            }
        }

        @Test
        void consDescribesEachConnectionAndItsSession() throws IOException {
            String path = "/cons-" + System.nanoTime();
            try (RawClient c = sessionWithWatchAndEphemeral(path)) {
                String cons = ask(server, "cons");
                assertThat(cons).endsWith("\n\n");
                List<String> withSession = cons.lines().filter(l -> l.contains("sid=0x")).toList();
                assertThat(withSession).isNotEmpty().allSatisfy(line -> assertThat(line).matches(
                        " /127\\.0\\.0\\.1:\\d+\\[\\d+]\\(queued=\\d+,recved=\\d+,sent=\\d+,sid=0x[0-9a-f]+,"
                                + "lop=\\w+,est=\\d+,to=\\d+,(lcxid=0x[0-9a-f]+,)?lzxid=0x[0-9a-f]+,lresp=\\d+,"
                                + "llat=\\d+,minlat=\\d+,avglat=\\d+,maxlat=\\d+\\)"));
                assertThat(withSession).anySatisfy(line -> assertThat(line).contains("lop=GETD", "to=30000"));
            }
        }

        @Test
        void mntrStartsWithVersionAndStateAndPrintsOneMetricPerLine() throws IOException {
            String mntr = ask(server, "mntr");
            List<String> lines = mntr.lines().toList();
            assertThat(lines.get(0)).startsWith("zk_version\t3.9.5-");
            assertThat(lines.get(1)).isEqualTo("zk_server_state\tstandalone");
            assertThat(lines).allSatisfy(line -> assertThat(line).matches("zk_\\w+\t.+"));
            Map<String, String> metrics = keyValues(mntr, "\t");
            for (String key : List.of("zk_avg_latency", "zk_max_latency", "zk_min_latency", "zk_packets_received",
                    "zk_packets_sent", "zk_num_alive_connections", "zk_outstanding_requests", "zk_znode_count",
                    "zk_watch_count", "zk_ephemerals_count", "zk_approximate_data_size", "zk_uptime",
                    "zk_global_sessions", "zk_local_sessions", "zk_auth_failed_count")) {
                assertThat(metrics).containsKey(key);
            }
            assertThat(Long.parseLong(metrics.get("zk_znode_count"))).isGreaterThanOrEqualTo(5);
            assertThat(metrics.get("zk_avg_latency")).matches("\\d+\\.\\d+(E-?\\d+)?");
        }

        @Test
        void confPrintsTheSettings() throws IOException {
            Map<String, String> conf = keyValues(ask(server, "conf"), "=");
            assertThat(conf).containsEntry("clientPort", String.valueOf(server.port()))
                    .containsEntry("tickTime", "2000")
                    .containsEntry("maxClientCnxns", "60")
                    .containsEntry("minSessionTimeout", "4000")
                    .containsEntry("maxSessionTimeout", "40000")
                    .containsEntry("serverId", "0")
                    .containsKeys("secureClientPort", "dataDir", "dataDirSize", "dataLogDir", "dataLogSize",
                            "clientPortListenBacklog", "serverId");
        }

        @Test
        void enviPrintsTheEnvironment() throws IOException {
            String envi = ask(server, "envi");
            assertThat(envi).startsWith("Environment:\n");
            assertThat(keyValues(envi, "=")).containsKeys("zookeeper.version", "host.name", "java.version",
                    "java.vendor", "java.home", "java.class.path", "java.io.tmpdir", "os.name", "os.arch",
                    "os.version", "user.name", "user.home", "user.dir", "os.memory.free", "os.memory.max",
                    "os.memory.total");
            assertThat(keyValues(envi, "=").get("zookeeper.version")).startsWith("3.9.5-");
        }

        @Test
        void watchWordsReportTheDataWatches() throws IOException {
            String path = "/wchs-" + System.nanoTime();
            try (RawClient c = sessionWithWatchAndEphemeral(path)) {
                String wchs = ask(server, "wchs");
                Matcher m = Pattern.compile("(\\d+) connections watching (\\d+) paths\nTotal watches:(\\d+)\n")
                        .matcher(wchs);
                assertThat(m.matches()).as(wchs).isTrue();
                assertThat(Integer.parseInt(m.group(1))).isGreaterThanOrEqualTo(1);
                assertThat(Integer.parseInt(m.group(2))).isGreaterThanOrEqualTo(1);
                assertThat(Integer.parseInt(m.group(3))).isGreaterThanOrEqualTo(1);

                String wchp = ask(server, "wchp");
                assertThat(wchp).contains(path + "\n\t0x");
                String wchc = ask(server, "wchc");
                assertThat(wchc).containsPattern("0x[0-9a-f]+\n(\t/.*\n)*\t" + path + "\n");
            }
        }

        @Test
        void dumpListsSessionsAndTheirEphemerals() throws IOException {
            String path = "/dump-" + System.nanoTime();
            try (RawClient c = RawClient.connect(server.port())) {
                ConnectResponse session = c.handshake(RawClient.newSession(30_000));
                c.send(1, OpCode.CREATE, new CreateRequest(path, null, ACL.OPEN_ACL_UNSAFE,
                        CreateMode.EPHEMERAL.flag()));
                assertThat(c.readReply().err()).isZero();
                String sid = "0x" + Long.toHexString(session.sessionId());

                String dump = ask(server, "dump");
                assertThat(dump).startsWith("SessionTracker dump:\n")
                        .containsPattern("Session Sets \\(\\d+\\)/\\(\\d+\\):\n")
                        .contains("\t" + sid + "\n")
                        .contains("ephemeral nodes dump:\n")
                        .containsPattern("Sessions with Ephemerals \\(\\d+\\):\n")
                        .contains(sid + ":\n\t" + path + "\n");
            }
        }

        @Test
        void dirsPrintsTheDirectorySizes() throws IOException {
            assertThat(ask(server, "dirs")).matches("datadir_size: \\d+\nlogdir_size: \\d+\n");
        }

        @Test
        void srstAndCrstResetTheCounters() throws IOException {
            assertThat(ask(server, "srst")).isEqualTo("Server stats reset.\n");
            assertThat(ask(server, "crst")).isEqualTo("Connection stats reset.\n");
        }

        @Test
        void gtmkAndStmkReadAndSetTheTraceMask() throws IOException {
            long original = Long.parseLong(ask(server, "gtmk"));
            try (RawClient c = RawClient.connect(server.port())) {
                c.sendRaw(ByteBuffer.allocate(12).put("stmk".getBytes(StandardCharsets.US_ASCII))
                        .putLong(0x123).array());
                assertThat(c.readAllText()).isEqualTo("291");
            }
            assertThat(ask(server, "gtmk")).isEqualTo("291");
            try (RawClient c = RawClient.connect(server.port())) {
                c.sendRaw(ByteBuffer.allocate(12).put("stmk".getBytes(StandardCharsets.US_ASCII))
                        .putLong(original).array());
                assertThat(c.readAllText()).isEqualTo(Long.toString(original));
            }
        }

        @Test
        void everyWordIsAnsweredWhileAClientSessionIsBusy() throws IOException {
            String path = "/busy-" + System.nanoTime();
            try (RawClient c = sessionWithWatchAndEphemeral(path)) {
                for (String word : ALL_WORDS) {
                    if (word.equals("stmk") || word.equals("hash") || word.equals("srst") || word.equals("crst")) {
                        continue;
                    }
                    assertThat(ask(server, word)).as(word).isNotBlank();
                }
                c.send(3, OpCode.EXISTS, new ExistsRequest(path, false));
                assertThat(c.readReply().err()).isZero();
            }
        }
    }

    @Test
    void defaultTraceMaskIsZooKeepers() throws IOException {
        try (TestServer fresh = TestServer.settings().fourLetterWhitelist("gtmk").start()) {
            assertThat(ask(fresh, "gtmk")).isEqualTo(Long.toString(DEFAULT_TRACE_MASK));
        }
    }
}
