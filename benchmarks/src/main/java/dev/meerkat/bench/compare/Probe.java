package dev.meerkat.bench.compare;

import org.apache.jute.BinaryInputArchive;
import org.apache.jute.BinaryOutputArchive;
import org.apache.jute.Record;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.proto.ConnectRequest;
import org.apache.zookeeper.proto.GetDataRequest;
import org.apache.zookeeper.proto.GetDataResponse;
import org.apache.zookeeper.proto.ReplyHeader;
import org.apache.zookeeper.proto.RequestHeader;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Asks a server, over one plain socket, for the data of a node: session handshake, getData,
 * closeSession, all with ZooKeeper 3.9.5's own jute records. Used to time a start-up to the first
 * answered read.
 *
 * <p>Not the official client on purpose: when a connection attempt fails (port not yet open, or a
 * server still loading its data closes it) the client waits a random time of up to a second before
 * its next attempt, which would blur a restart time by as much. {@link #await} instead starts a
 * new attempt every {@link #RETRY} without waiting for earlier ones to give up, the same for both
 * servers: Apache ZooKeeper 3.9.5 can leave a connection that arrives while it loads its data open
 * and unanswered (its close fails with a NullPointerException before the database is set), and a
 * probe that waited for that connection would time the probe, not the server.
 */
public final class Probe {
    static final Duration RETRY = Duration.ofMillis(10);
    private static final int MAX_IN_FLIGHT = 64;

    /** What one attempt found. */
    public enum Outcome { ANSWERED, NO_NODE, NOT_READY }

    /** @param dataLength the node's data length when ANSWERED, else -1 */
    public record Answer(Outcome outcome, int dataLength) {
    }

    private Probe() {
    }

    /**
     * One attempt. A refused or dropped connection, or a handshake the server declines, is
     * NOT_READY; any other error reply is an IOException.
     */
    public static Answer getData(InetSocketAddress server, String path) throws IOException {
        return getData(server, path, null);
    }

    /**
     * Attempts until one is ANSWERED or NO_NODE, starting one every {@link #RETRY} (at most
     * {@code MAX_IN_FLIGHT} at a time) while {@code alive} holds and the timeout has not passed.
     *
     * @return the first answer that is not NOT_READY, or null on timeout or when {@code alive}
     *     turned false
     */
    public static Answer await(InetSocketAddress server, String path, Duration timeout, BooleanSupplier alive)
            throws IOException, InterruptedException {
        Set<Socket> open = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "probe");
            t.setDaemon(true);
            return t;
        });
        CompletionService<Answer> attempts = new ExecutorCompletionService<>(pool);
        long deadline = System.nanoTime() + timeout.toNanos();
        int inFlight = 0;
        try {
            while (alive.getAsBoolean() && System.nanoTime() < deadline) {
                if (inFlight < MAX_IN_FLIGHT) {
                    attempts.submit(() -> getData(server, path, open));
                    inFlight++;
                }
                Future<Answer> done = attempts.poll(RETRY.toMillis(), TimeUnit.MILLISECONDS);
                while (done != null) {
                    inFlight--;
                    Answer a;
                    try {
                        a = done.get();
                    } catch (ExecutionException e) {
                        throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                    }
                    if (a.outcome() != Outcome.NOT_READY) {
                        return a;
                    }
                    done = attempts.poll();
                }
            }
            return null;
        } finally {
            for (Socket s : open) {
                try {
                    s.close();
                } catch (IOException e) {
                    // going anyway
                }
            }
            pool.shutdownNow();
        }
    }

    private static Answer getData(InetSocketAddress server, String path, Set<Socket> open) throws IOException {
        try (Socket s = new Socket()) {
            if (open != null) {
                open.add(s);
            }
            s.setTcpNoDelay(true);
            s.setSoTimeout(10_000);
            s.connect(server, 1_000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            DataInputStream in = new DataInputStream(s.getInputStream());
            send(out, new ConnectRequest(0, 0, 30_000, 0, new byte[16], false));
            if (negotiatedTimeout(in) <= 0) {
                return new Answer(Outcome.NOT_READY, -1);
            }
            send(out, new RequestHeader(1, ZooDefs.OpCode.getData), new GetDataRequest(path, false));
            ReplyHeader header = new ReplyHeader();
            GetDataResponse body = new GetDataResponse();
            receive(in, header, body);
            Answer answer;
            if (header.getErr() == KeeperException.Code.OK.intValue()) {
                answer = new Answer(Outcome.ANSWERED, body.getData() == null ? -1 : body.getData().length);
            } else if (header.getErr() == KeeperException.Code.NONODE.intValue()) {
                answer = new Answer(Outcome.NO_NODE, -1);
            } else {
                throw new IOException("getData " + path + " answered " + KeeperException.Code.get(header.getErr()));
            }
            // End the session now rather than leave it to expire in the server under test.
            send(out, new RequestHeader(2, ZooDefs.OpCode.closeSession));
            try {
                receive(in, new ReplyHeader(), null);
            } catch (IOException e) {
                // the server may close first; the answer stands
            }
            return answer;
        } catch (java.net.ConnectException | EOFException | SocketTimeoutException e) {
            return new Answer(Outcome.NOT_READY, -1);
        } catch (SocketException e) {
            // connection reset by a server that is not serving yet
            return new Answer(Outcome.NOT_READY, -1);
        } finally {
            if (open != null) {
                open.removeIf(Socket::isClosed);
            }
        }
    }

    /**
     * The session timeout of the handshake reply, 0 if the server declined. Read by hand: servers
     * differ in whether the trailing read-only flag is there, and only the timeout matters here.
     */
    private static int negotiatedTimeout(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 8 || len > 1 << 16) {
            throw new IOException("implausible handshake reply length " + len);
        }
        byte[] frame = new byte[len];
        in.readFully(frame);
        DataInputStream reply = new DataInputStream(new ByteArrayInputStream(frame));
        reply.readInt(); // protocol version
        return reply.readInt();
    }

    private static void send(DataOutputStream out, Record... records) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryOutputArchive archive = BinaryOutputArchive.getArchive(bytes);
        for (Record r : records) {
            r.serialize(archive, "r");
        }
        out.writeInt(bytes.size());
        bytes.writeTo(out);
        out.flush();
    }

    private static void receive(DataInputStream in, Record first, Record second) throws IOException {
        int len = in.readInt();
        if (len < 0 || len > 16 << 20) {
            throw new IOException("implausible frame length " + len);
        }
        byte[] frame = new byte[len];
        in.readFully(frame);
        BinaryInputArchive archive = BinaryInputArchive.getArchive(new ByteArrayInputStream(frame));
        first.deserialize(archive, "r");
        if (second != null && first instanceof ReplyHeader h && h.getErr() != 0) {
            return;
        }
        if (second != null) {
            second.deserialize(archive, "r");
        }
    }
}
