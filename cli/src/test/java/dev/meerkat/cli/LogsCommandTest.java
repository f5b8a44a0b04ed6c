package dev.meerkat.cli;

import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.server.storage.TxnLog;
import dev.meerkat.server.txn.CreateSessionTxn;
import dev.meerkat.server.txn.CreateTxn;
import dev.meerkat.server.txn.SetDataTxn;
import dev.meerkat.server.txn.TxnHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LogsCommandTest {
    @TempDir
    Path dataLogDir;

    @Test
    void printsEveryTxnWithZxidSessionTypeAndPath() throws Exception {
        Path logDir = Files.createDirectories(dataLogDir.resolve("version-2"));
        try (TxnLog log = TxnLog.open(logDir, TxnLog.Options.defaults().withPreallocBytes(4096))) {
            log.append(new TxnHeader(0x42, 0, 1, 1_000, OpCode.CREATE_SESSION), new CreateSessionTxn(4000, new byte[16]));
            log.append(new TxnHeader(0x42, 1, 2, 2_000, OpCode.CREATE),
                    new CreateTxn("/app", "v1".getBytes(StandardCharsets.UTF_8), ACL.OPEN_ACL_UNSAFE, 0));
            log.append(new TxnHeader(0x42, 2, 3, 3_000, OpCode.SET_DATA),
                    new SetDataTxn("/app", "v2".getBytes(StandardCharsets.UTF_8), 1));
            log.sync();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = LogsCommand.print(dataLogDir, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "zxid=0x1 time=1970-01-01T00:00:01Z session=0x42 cxid=0 type=createSession",
                "zxid=0x2 time=1970-01-01T00:00:02Z session=0x42 cxid=1 type=create path=/app dataLength=2",
                "zxid=0x3 time=1970-01-01T00:00:03Z session=0x42 cxid=2 type=setData path=/app version=1 dataLength=2",
                "3 txns, last zxid 0x3");
    }

    @Test
    void aMissingDirectoryIsAClearError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = LogsCommand.print(dataLogDir.resolve("nope"), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Not a directory");
    }
}
