package dev.meerkat.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerConfigTest {
    @TempDir
    Path dir;

    @Test
    void parsesAFullZooCfg() throws Exception {
        Path cfg = dir.resolve("zoo.cfg");
        Files.writeString(cfg, String.join("\n",
                "# The number of milliseconds of each tick",
                "tickTime=3000",
                "initLimit=20",
                "syncLimit=8",
                "dataDir=" + dir.resolve("snap"),
                "dataLogDir=" + dir.resolve("log"),
                "clientPort=12181",
                "clientPortAddress=0.0.0.0",
                "maxClientCnxns=0",
                "minSessionTimeout=5000",
                "maxSessionTimeout=90000",
                "snapCount=5000",
                "autopurge.snapRetainCount=5",
                "autopurge.purgeInterval=24",
                "4lw.commands.whitelist=ruok, stat ,mntr",
                "extendedTypesEnabled=true",
                "jute.maxbuffer=4194304",
                "globalOutstandingLimit=2000",
                "zookeeper.DigestAuthenticationProvider.superDigest=super:D/InIHSb7yEEbrWz8b9l71RjZJU=",
                "skipACL=no",
                "peerType=observer",
                "server.1=zk1:2888:3888",
                "server.2=zk2:2888:3888;2181",
                "server.3 = zk3:2888:3888:observer   ",
                ""));

        ServerConfig config = ServerConfig.parse(cfg);

        assertThat(config.tickTime()).isEqualTo(3000);
        assertThat(config.initLimit()).isEqualTo(20);
        assertThat(config.syncLimit()).isEqualTo(8);
        assertThat(config.dataDir()).isEqualTo(dir.resolve("snap"));
        assertThat(config.dataLogDir()).isEqualTo(dir.resolve("log"));
        assertThat(config.clientPort()).isEqualTo(12181);
        assertThat(config.clientPortAddress()).isEqualTo("0.0.0.0");
        assertThat(config.maxClientCnxns()).isZero();
        assertThat(config.minSessionTimeout()).isEqualTo(5000);
        assertThat(config.maxSessionTimeout()).isEqualTo(90000);
        assertThat(config.snapCount()).isEqualTo(5000);
        assertThat(config.snapRetainCount()).isEqualTo(5);
        assertThat(config.purgeInterval()).isEqualTo(24);
        assertThat(config.fourLetterWhitelist()).containsExactlyInAnyOrder("ruok", "stat", "mntr", "srvr");
        assertThat(config.extendedTypesEnabled()).isTrue();
        assertThat(config.juteMaxBuffer()).isEqualTo(4194304);
        assertThat(config.globalOutstandingLimit()).isEqualTo(2000);
        assertThat(config.superDigest()).isEqualTo("super:D/InIHSb7yEEbrWz8b9l71RjZJU=");
        assertThat(config.skipAcl()).isFalse();
        assertThat(config.peerType()).isEqualTo("observer");
        assertThat(config.servers()).containsExactly(
                Map.entry(1, "zk1:2888:3888"),
                Map.entry(2, "zk2:2888:3888;2181"),
                Map.entry(3, "zk3:2888:3888:observer"));
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void emptyConfigTakesTheDefaults() throws Exception {
        ServerConfig config = ServerConfig.fromProperties(new Properties(), dir);

        assertThat(config.tickTime()).isEqualTo(2000);
        assertThat(config.dataDir()).isEqualTo(dir.resolve("data"));
        assertThat(config.dataLogDir()).isEqualTo(config.dataDir());
        assertThat(config.clientPort()).isEqualTo(2181);
        assertThat(config.clientPortAddress()).isEqualTo("127.0.0.1");
        assertThat(config.maxClientCnxns()).isEqualTo(60);
        assertThat(config.minSessionTimeout()).isEqualTo(4000);
        assertThat(config.maxSessionTimeout()).isEqualTo(40000);
        assertThat(config.snapCount()).isEqualTo(100000);
        assertThat(config.snapRetainCount()).isEqualTo(3);
        assertThat(config.purgeInterval()).isZero();
        assertThat(config.fourLetterWhitelist()).containsExactly("srvr");
        assertThat(config.extendedTypesEnabled()).isFalse();
        assertThat(config.juteMaxBuffer()).isEqualTo(0xfffff);
        assertThat(config.globalOutstandingLimit()).isEqualTo(1000);
        assertThat(config.superDigest()).isNull();
        assertThat(config.skipAcl()).isFalse();
        assertThat(config.servers()).isEmpty();
        assertThat(config.initLimit()).isEqualTo(10);
        assertThat(config.syncLimit()).isEqualTo(5);
        assertThat(config.peerType()).isEqualTo("participant");
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void sessionTimeoutDefaultsFollowTheActualTickTime() throws Exception {
        ServerConfig config = ServerConfig.fromProperties(props("tickTime", "3000"), dir);

        assertThat(config.minSessionTimeout()).isEqualTo(6000);
        assertThat(config.maxSessionTimeout()).isEqualTo(60000);
    }

    @Test
    void minusOneMeansTheDefault() throws Exception {
        ServerConfig config = ServerConfig.fromProperties(
                props("tickTime", "500", "minSessionTimeout", "-1", "maxSessionTimeout", "-1"), dir);

        assertThat(config.minSessionTimeout()).isEqualTo(1000);
        assertThat(config.maxSessionTimeout()).isEqualTo(10000);
    }

    @Test
    void oneTimeoutSetLeavesTheOtherDerived() throws Exception {
        ServerConfig config = ServerConfig.fromProperties(props("maxSessionTimeout", "120000"), dir);

        assertThat(config.minSessionTimeout()).isEqualTo(4000);
        assertThat(config.maxSessionTimeout()).isEqualTo(120000);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "tickTime | 0",
        "tickTime | -2000",
        "tickTime | 2s",
        "tickTime | ''",
        "clientPort | 65536",
        "clientPort | -1",
        "clientPort | http",
        "maxClientCnxns | -1",
        "maxClientCnxns | 1.5",
        "minSessionTimeout | -5",
        "maxSessionTimeout | -2",
        "minSessionTimeout | 4k",
        "snapCount | many",
        "autopurge.snapRetainCount | three",
        "autopurge.purgeInterval | 1h",
        "jute.maxbuffer | 0",
        "jute.maxbuffer | 0xfffff",
        "globalOutstandingLimit | 0",
        "extendedTypesEnabled | maybe",
        "skipACL | sometimes",
        "zookeeper.skipACL | 1",
        "superDigest | nocolon",
        "zookeeper.DigestAuthenticationProvider.superDigest | super:a:b",
        "initLimit | 0",
        "syncLimit | five",
        "peerType | leader",
        "server.x | zk1:2888:3888",
        "server.-1 | zk1:2888:3888",
        "server.1 | ''",
        "clientPortAddress | ''",
    })
    void badValueNamesItsKeyAndValue(String key, String value) {
        assertThatThrownBy(() -> ServerConfig.fromProperties(props(key, value), dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key.startsWith("server.") ? key.substring(0, 7) : key)
                .hasMessageContaining(value.isEmpty() ? "" : keyPartOf(key, value));
    }

    /** For server.N the bad part may be the N. */
    private static String keyPartOf(String key, String value) {
        return key.equals("server.x") || key.equals("server.-1") ? key.substring(7) : value;
    }

    @Test
    void minAboveMaxNamesBothKeys() {
        assertThatThrownBy(() -> ServerConfig.fromProperties(
                props("minSessionTimeout", "50000", "maxSessionTimeout", "40000"), dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("minSessionTimeout")
                .hasMessageContaining("maxSessionTimeout")
                .hasMessageContaining("50000");
        // The derived maximum counts too: 20 × 2000.
        assertThatThrownBy(() -> ServerConfig.fromProperties(props("minSessionTimeout", "50000"), dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("40000");
    }

    @Test
    void tickTimeTooLargeForTheDerivedTimeoutsIsRefused() {
        assertThatThrownBy(() -> ServerConfig.fromProperties(props("tickTime", "200000000"), dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tickTime")
                .hasMessageContaining("200000000");
    }

    @Test
    void unknownKeyIsAWarningNotAnError() throws Exception {
        ServerConfig config = ServerConfig.fromProperties(props("tickTime", "2000", "admin.serverPort", "8080",
                "standaloneEnabled", "true"), dir);

        assertThat(config.warnings()).hasSize(2);
        assertThat(config.warnings().get(0)).contains("admin.serverPort");
        assertThat(config.warnings().get(1)).contains("standaloneEnabled");
    }

    @Test
    void quorumKeysAreAcceptedWithoutWarnings() throws Exception {
        ServerConfig config = ServerConfig.fromProperties(props("server.1", "a:1:2", "server.2", "b:1:2",
                "initLimit", "10", "syncLimit", "5", "peerType", "participant"), dir);

        assertThat(config.warnings()).isEmpty();
        assertThat(config.servers()).containsOnlyKeys(1, 2);
    }

    @Test
    void snapRetainCountBelowThreeIsRaisedWithAWarning() throws Exception {
        ServerConfig config = ServerConfig.fromProperties(props("autopurge.snapRetainCount", "1"), dir);

        assertThat(config.snapRetainCount()).isEqualTo(3);
        assertThat(config.warnings()).singleElement().asString().contains("autopurge.snapRetainCount");
    }

    @Test
    void snapCountBelowTwoIsRaisedWithAWarning() throws Exception {
        ServerConfig config = ServerConfig.fromProperties(props("snapCount", "1"), dir);

        assertThat(config.snapCount()).isEqualTo(2);
        assertThat(config.warnings()).singleElement().asString().contains("snapCount");
    }

    @Test
    void negativePurgeIntervalMeansNoPurgingWithAWarning() throws Exception {
        ServerConfig config = ServerConfig.fromProperties(props("autopurge.purgeInterval", "-1"), dir);

        assertThat(config.purgeInterval()).isZero();
        assertThat(config.warnings()).singleElement().asString().contains("autopurge.purgeInterval");
    }

    @Test
    void relativeDirectoriesAreResolvedAgainstTheBaseDirectory() throws Exception {
        ServerConfig config = ServerConfig.fromProperties(props("dataDir", "var/zk", "dataLogDir", "../txlog"), dir);

        assertThat(config.dataDir()).isEqualTo(dir.resolve("var/zk"));
        assertThat(config.dataLogDir()).isEqualTo(dir.getParent().resolve("txlog"));
    }

    @Test
    void dataLogDirFollowsDataDir() throws Exception {
        ServerConfig config = ServerConfig.fromProperties(props("dataDir", "./state"), dir);

        assertThat(config.dataLogDir()).isEqualTo(dir.resolve("state"));
    }

    @Test
    void missingFileNamesThePath() {
        Path missing = dir.resolve("nope/zoo.cfg");

        assertThatThrownBy(() -> ServerConfig.parse(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void whitelistIsSrvrByDefaultAndAlwaysContainsIt() throws Exception {
        ServerConfig byDefault = ServerConfig.fromProperties(new Properties(), dir);
        ServerConfig ruokOnly = ServerConfig.fromProperties(props("4lw.commands.whitelist", "ruok"), dir);

        assertThat(byDefault.isFourLetterAllowed("srvr")).isTrue();
        assertThat(byDefault.isFourLetterAllowed("ruok")).isFalse();
        assertThat(ruokOnly.fourLetterWhitelist()).containsExactlyInAnyOrder("ruok", "srvr");
        assertThat(ruokOnly.isFourLetterAllowed("stat")).isFalse();
    }

    @Test
    void starWhitelistsEveryCommand() throws Exception {
        ServerConfig config = ServerConfig.fromProperties(props("4lw.commands.whitelist", "*"), dir);

        assertThat(config.fourLetterWhitelist()).isEqualTo(ServerConfig.FOUR_LETTER_WORDS).hasSize(18);
        for (String word : List.of("ruok", "conf", "cons", "dump", "mntr", "wchp", "stmk", "hash", "isro")) {
            assertThat(config.isFourLetterAllowed(word)).as(word).isTrue();
        }
        assertThat(config.isFourLetterAllowed("xyzw")).isFalse();
    }

    @Test
    void unknownWhitelistEntryIsAWarning() throws Exception {
        ServerConfig config = ServerConfig.fromProperties(
                props("zookeeper.4lw.commands.whitelist", "ruok,RUOK,,stats"), dir);

        assertThat(config.fourLetterWhitelist()).containsExactlyInAnyOrder("ruok", "srvr");
        assertThat(config.isFourLetterAllowed("RUOK")).isFalse();
        assertThat(config.warnings()).hasSize(2).anySatisfy(w -> assertThat(w).contains("RUOK"))
                .anySatisfy(w -> assertThat(w).contains("stats"));
    }

    @Test
    void zookeeperSpellingsOfSystemPropertiesAreAccepted() throws Exception {
        ServerConfig config = ServerConfig.fromProperties(props(
                "zookeeper.skipACL", "yes",
                "zookeeper.extendedTypesEnabled", "TRUE",
                "zookeeper.snapCount", "777",
                "zookeeper.globalOutstandingLimit", "9",
                "DigestAuthenticationProvider.superDigest", "super:abc="), dir);

        assertThat(config.skipAcl()).isTrue();
        assertThat(config.extendedTypesEnabled()).isTrue();
        assertThat(config.snapCount()).isEqualTo(777);
        assertThat(config.globalOutstandingLimit()).isEqualTo(9);
        assertThat(config.superDigest()).isEqualTo("super:abc=");
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void twoSpellingsWithDifferentValuesAreAConflict() throws Exception {
        assertThatThrownBy(() -> ServerConfig.fromProperties(props("skipACL", "yes", "zookeeper.skipACL", "no"), dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("skipACL")
                .hasMessageContaining("zookeeper.skipACL");
        assertThatThrownBy(() -> ServerConfig.fromProperties(props("server.1", "a:1:2", "server.01", "b:1:2"), dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.01");
        assertThat(ServerConfig.fromProperties(props("skipACL", "yes", "zookeeper.skipACL", "yes"), dir).skipAcl())
                .isTrue();
    }

    @Test
    void confLinesFollowZooKeepersOrder() throws Exception {
        ServerConfig config = ServerConfig.fromProperties(props("dataDir", "d", "dataLogDir", "l",
                "clientPort", "2182"), dir);

        assertThat(config.confLines(1234, 5678, 7)).containsExactly(
                "clientPort=2182",
                "secureClientPort=-1",
                "dataDir=" + dir.resolve("d"),
                "dataDirSize=1234",
                "dataLogDir=" + dir.resolve("l"),
                "dataLogSize=5678",
                "tickTime=2000",
                "maxClientCnxns=60",
                "minSessionTimeout=4000",
                "maxSessionTimeout=40000",
                "clientPortListenBacklog=-1",
                "serverId=7");
    }

    @Test
    void builderMakesAnEmbeddedConfig() {
        ServerConfig config = ServerConfig.builder()
                .tickTime(100)
                .dataDir(dir)
                .clientPort(0)
                .fourLetterWhitelist("*")
                .superDigest("super:D/InIHSb7yEEbrWz8b9l71RjZJU=")
                .build();

        assertThat(config.tickTime()).isEqualTo(100);
        assertThat(config.minSessionTimeout()).isEqualTo(200);
        assertThat(config.maxSessionTimeout()).isEqualTo(2000);
        assertThat(config.dataDir()).isEqualTo(dir);
        assertThat(config.dataLogDir()).isEqualTo(dir);
        assertThat(config.clientPort()).isZero();
        assertThat(config.isFourLetterAllowed("ruok")).isTrue();
        assertThat(config.superDigest()).isEqualTo("super:D/InIHSb7yEEbrWz8b9l71RjZJU=");
    }

    @Test
    void builderRejectsWhatAConfigFileWouldReject() {
        assertThatThrownBy(() -> ServerConfig.builder().clientPort(70000).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("clientPort")
                .hasMessageContaining("70000");
        assertThatThrownBy(() -> ServerConfig.builder().minSessionTimeout(10).maxSessionTimeout(5).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minSessionTimeout");
    }

    @Test
    void collectionsCannotBeChanged() throws Exception {
        ServerConfig config = ServerConfig.fromProperties(props("server.1", "a:1:2", "foo", "bar"), dir);

        assertThatThrownBy(() -> config.servers().put(2, "b")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> config.warnings().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> config.fourLetterWhitelist().add("ruok"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    private static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }
}
