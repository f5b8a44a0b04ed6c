package dev.meerkat.server.durability;

import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Official-client and four-letter-word helpers shared by the durability tests. */
final class Clients {
    private static final Pattern SRVR_ZXID = Pattern.compile("Zxid: 0x([0-9a-fA-F]+)");

    private Clients() {
    }

    /** An official client that has reached SyncConnected; closed again if it does not within 15 s. */
    static ZooKeeper connect(String connectString, int sessionTimeoutMs) throws IOException, InterruptedException {
        return connect(connectString, sessionTimeoutMs, 0, null);
    }

    /** Re-attaches to an existing session ({@code sessionId} 0 creates a new one). */
    static ZooKeeper connect(String connectString, int sessionTimeoutMs, long sessionId, byte[] passwd)
            throws IOException, InterruptedException {
        CountDownLatch connected = new CountDownLatch(1);
        Watcher watcher = event -> {
            if (event.getType() == Watcher.Event.EventType.None
                    && event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        };
        ZooKeeper zk = sessionId == 0
                ? new ZooKeeper(connectString, sessionTimeoutMs, watcher)
                : new ZooKeeper(connectString, sessionTimeoutMs, watcher, sessionId, passwd);
        boolean ok = false;
        try {
            if (!connected.await(15, TimeUnit.SECONDS)) {
                throw new AssertionError("client did not connect to " + connectString + " within 15 s (state "
                        + zk.getState() + ")");
            }
            ok = true;
            return zk;
        } finally {
            if (!ok) {
                zk.close(1000);
            }
        }
    }

    /** Closes every client, in parallel (a client whose server is gone takes a moment to give up). */
    static void closeAll(List<ZooKeeper> clients) {
        List<Thread> closers = new ArrayList<>();
        for (ZooKeeper zk : clients) {
            if (zk == null) {
                continue;
            }
            Thread t = new Thread(() -> {
                try {
                    zk.close(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "close-client");
            t.start();
            closers.add(t);
        }
        for (Thread t : closers) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Sends a four-letter word and returns everything the server writes before closing. */
    static String fourLetter(int port, String word) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(word.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toString(StandardCharsets.UTF_8);
        }
    }

    /** The server's last zxid as {@code srvr} reports it. */
    static long srvrZxid(int port) throws IOException {
        String srvr = fourLetter(port, "srvr");
        Matcher m = SRVR_ZXID.matcher(srvr);
        if (!m.find()) {
            throw new AssertionError("srvr reported no zxid:\n" + srvr);
        }
        return Long.parseUnsignedLong(m.group(1), 16);
    }
}
