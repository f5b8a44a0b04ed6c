package dev.meerkat.server.compat;

import org.apache.jute.BinaryInputArchive;
import org.apache.jute.BinaryOutputArchive;
import org.apache.jute.Record;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.proto.ConnectRequest;
import org.apache.zookeeper.proto.ConnectResponse;
import org.apache.zookeeper.proto.ReplyHeader;
import org.apache.zookeeper.proto.RequestHeader;
import org.apache.zookeeper.proto.WatcherEvent;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A client session spoken by hand, with ZooKeeper's own jute records, for what the official client
 * will not do: send requests it would refuse to send, or stay silent (no pings) so that the server
 * has to expire the session. Synchronous: one request, then read until its reply.
 */
final class RawSession implements AutoCloseable {
    private static final int READ_TIMEOUT_MS = 10_000;

    /** A watch notification: the event and the zxid in its header. */
    record Notification(long zxid, WatcherEvent event) {
        /** {@code "<EventType> <path>"}, as {@link EventRecorder} describes events. */
        String describe() {
            return EventType.fromInt(event.getType()) + " " + event.getPath();
        }
    }

    /** A reply, with the watch notifications that arrived before it (in order). */
    record Reply(ReplyHeader header, byte[] body, List<Notification> eventsBefore) {
        int err() {
            return header.getErr();
        }

        <T extends Record> T read(T record) {
            try {
                record.deserialize(BinaryInputArchive.getArchive(new ByteArrayInputStream(body)), "body");
                return record;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final ConnectResponse handshake;
    private int nextXid = 1;

    private RawSession(Socket socket, ConnectResponse handshake) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new DataOutputStream(socket.getOutputStream());
        this.handshake = handshake;
    }

    /** A new session asking for {@code timeoutMs}. */
    static RawSession open(int port, int timeoutMs) {
        return connect(port, new ConnectRequest(0, 0, timeoutMs, 0, new byte[16], false));
    }

    /** Re-attaches to a session; check {@link #negotiatedTimeout()} for 0 (expired or refused). */
    static RawSession reattach(int port, int timeoutMs, long sessionId, byte[] password) {
        return connect(port, new ConnectRequest(0, 0, timeoutMs, sessionId, password, false));
    }

    private static RawSession connect(int port, ConnectRequest request) {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MS);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            writeFrame(out, request);
            ConnectResponse response = new ConnectResponse();
            response.deserialize(BinaryInputArchive.getArchive(
                    new ByteArrayInputStream(readFrame(new DataInputStream(socket.getInputStream())))), "connect");
            return new RawSession(socket, response);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UncheckedIOException(e);
        }
    }

    long sessionId() {
        return handshake.getSessionId();
    }

    byte[] password() {
        return handshake.getPasswd();
    }

    int negotiatedTimeout() {
        return handshake.getTimeOut();
    }

    /** Sends one request ({@code body} may be null) and reads until its reply. */
    Reply call(int opCode, Record body) {
        int xid = nextXid++;
        try {
            writeFrame(out, new RequestHeader(xid, opCode), body);
            List<Notification> events = new ArrayList<>();
            while (true) {
                DataInputStream frame = new DataInputStream(new ByteArrayInputStream(readFrame(in)));
                ReplyHeader header = new ReplyHeader();
                header.deserialize(BinaryInputArchive.getArchive(frame), "header");
                if (header.getXid() == -1) {
                    WatcherEvent event = new WatcherEvent();
                    event.deserialize(BinaryInputArchive.getArchive(frame), "event");
                    events.add(new Notification(header.getZxid(), event));
                    continue;
                }
                if (header.getXid() != xid) {
                    throw new IllegalStateException("reply for xid " + header.getXid() + ", expected " + xid);
                }
                return new Reply(header, frame.readAllBytes(), events);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads (and discards) until the server closes the connection; false if it is still open after
     * {@code timeoutMs}.
     */
    boolean awaitClosedByServer(int timeoutMs) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        try {
            while (System.nanoTime() < deadline) {
                socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                try {
                    readFrame(in);
                } catch (SocketTimeoutException e) {
                    return false;
                } catch (EOFException e) {
                    return true;
                } catch (IOException e) {
                    return true; // reset by peer counts as closed
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeFrame(DataOutputStream out, Record... records) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryOutputArchive archive = BinaryOutputArchive.getArchive(bytes);
        for (Record r : records) {
            if (r != null) {
                r.serialize(archive, "record");
            }
        }
        out.writeInt(bytes.size());
        bytes.writeTo(out);
        out.flush();
    }

    private static byte[] readFrame(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > 1 << 20) {
            throw new IOException("bad frame length " + length);
        }
        byte[] frame = new byte[length];
        in.readFully(frame);
        return frame;
    }
}
