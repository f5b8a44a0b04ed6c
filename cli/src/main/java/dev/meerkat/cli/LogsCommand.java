package dev.meerkat.cli;

import dev.meerkat.protocol.OpCode;
import dev.meerkat.server.storage.Entry;
import dev.meerkat.server.storage.TxnLog;
import dev.meerkat.server.txn.CreateTxn;
import dev.meerkat.server.txn.DeleteTxn;
import dev.meerkat.server.txn.MultiTxn;
import dev.meerkat.server.txn.SetACLTxn;
import dev.meerkat.server.txn.SetDataTxn;
import dev.meerkat.server.txn.CheckVersionTxn;
import dev.meerkat.server.txn.Txn;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code meerkat logs DIR}: prints every txn of a transaction log, like ZooKeeper's TxnLogToolkit. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Print the txns of a transaction log directory (dataLogDir or its version-2).")
final class LogsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "dataLogDir, or the version-2 folder inside it")
    Path dir;

    @Override
    public Integer call() {
        return print(dir, System.out, System.err);
    }

    static int print(Path dir, PrintStream out, PrintStream err) {
        Path logDir = Files.isDirectory(dir.resolve("version-2")) ? dir.resolve("version-2") : dir;
        if (!Files.isDirectory(logDir)) {
            err.println("Not a directory: " + dir);
            return 2;
        }
        long[] count = {0};
        try {
            TxnLog.Recovery result = TxnLog.read(logDir, firstZxid(logDir) - 1, entry -> {
                out.println(describe(entry));
                count[0]++;
            });
            out.println(count[0] + " txns, last zxid 0x" + Long.toHexString(Math.max(0, result.lastZxid()))
                    + (result.torn() ? "; torn tail in " + result.tornSegment().getFileName() + " at offset "
                    + result.tornOffset() + " (" + result.tornReason() + ")" : ""));
            return 0;
        } catch (IOException e) {
            err.println("Cannot read the log after " + count[0] + " txns: " + e.getMessage());
            return 1;
        }
    }

    /** The first zxid the oldest segment holds (its name), so a purged log is read from where it starts. */
    private static long firstZxid(Path logDir) throws IOException {
        try (Stream<Path> files = Files.list(logDir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("log\\.[0-9a-f]{16}"))
                    .mapToLong(n -> Long.parseUnsignedLong(n.substring(4), 16))
                    .min().orElse(1);
        }
    }

    static String describe(Entry e) {
        var h = e.header();
        return "zxid=0x" + Long.toHexString(h.zxid()) + " time=" + Instant.ofEpochMilli(h.time())
                + " session=0x" + Long.toHexString(h.sessionId()) + " cxid=" + h.cxid()
                + " type=" + typeName(h.type()) + body(e.txn());
    }

    private static String body(Txn txn) {
        if (txn instanceof CreateTxn c) {
            return " path=" + c.path() + " dataLength=" + (c.data() == null ? 0 : c.data().length)
                    + (c.ephemeralOwner() != 0 ? " owner=0x" + Long.toHexString(c.ephemeralOwner()) : "");
        } else if (txn instanceof DeleteTxn d) {
            return " path=" + d.path();
        } else if (txn instanceof SetDataTxn s) {
            return " path=" + s.path() + " version=" + s.version()
                    + " dataLength=" + (s.data() == null ? 0 : s.data().length);
        } else if (txn instanceof SetACLTxn s) {
            return " path=" + s.path() + " aversion=" + s.version();
        } else if (txn instanceof CheckVersionTxn c) {
            return " path=" + c.path() + " version=" + c.version();
        } else if (txn instanceof MultiTxn m) {
            return " ops=" + m.txns().size() + " [" + String.join("; ", m.txns().stream()
                    .map(t -> t.getClass().getSimpleName().replace("Txn", "") + body(t)).toList()) + "]";
        }
        return "";
    }

    private static String typeName(int type) {
        return switch (type) {
            case OpCode.CREATE, OpCode.CREATE2 -> "create";
            case OpCode.CREATE_CONTAINER -> "createContainer";
            case OpCode.CREATE_TTL -> "createTTL";
            case OpCode.DELETE -> "delete";
            case OpCode.DELETE_CONTAINER -> "deleteContainer";
            case OpCode.SET_DATA -> "setData";
            case OpCode.SET_ACL -> "setACL";
            case OpCode.MULTI -> "multi";
            case OpCode.CREATE_SESSION -> "createSession";
            case OpCode.CLOSE_SESSION -> "closeSession";
            default -> "op" + type;
        };
    }
}
