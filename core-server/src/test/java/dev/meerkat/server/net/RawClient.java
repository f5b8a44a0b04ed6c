package dev.meerkat.server.net;

import dev.meerkat.protocol.jute.Jute;
import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.Record;
import dev.meerkat.protocol.record.ConnectRequest;
import dev.meerkat.protocol.record.ConnectResponse;
import dev.meerkat.protocol.record.ReplyHeader;
import dev.meerkat.protocol.record.RequestHeader;
import io.netty.buffer.Unpooled;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A client that speaks the ZooKeeper wire protocol over a plain blocking socket, one frame at a
 * time, so tests can send exactly the bytes they mean (including wrong ones) and see exactly what
 * comes back. Every read has a timeout, so a server that stays silent fails the test instead of
 * hanging it.
 */
final class RawClient implements AutoCloseable {
    static final int READ_TIMEOUT_MS = 5_000;
    /** Large enough for any reply a test provokes; a longer length prefix means the stream is garbage. */
    private static final int MAX_REPLY = 4 * 1024 * 1024;

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new DataOutputStream(socket.getOutputStream());
    }

    static RawClient connect(int port) throws IOException {
        return connect(port, READ_TIMEOUT_MS);
    }

    static RawClient connect(int port, int readTimeoutMs) throws IOException {
        Socket s = new Socket();
        try {
            s.setSoTimeout(readTimeoutMs);
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MS);
            return new RawClient(s);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** A ConnectRequest of the 3.9 Java client for a new session (with the readOnly byte). */
    static ConnectRequest newSession(int timeoutMs) {
        return new ConnectRequest(0, 0, timeoutMs, 0, new byte[16], false, true);
    }

    void setReadTimeout(int ms) throws SocketException {
        socket.setSoTimeout(ms);
    }

    // ------------------------------------------------------------------ writing

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** One frame: the length prefix, then {@code body} as given. */
    void sendFrame(byte[] body) throws IOException {
        sendRaw(frame(body));
    }

    void sendRecords(Record... records) throws IOException {
        sendFrame(Jute.toBytes(records));
    }

    /** A request frame: RequestHeader{xid, op} followed by {@code body} (null for none). */
    void send(int xid, int op, Record body) throws IOException {
        if (body == null) {
            sendRecords(new RequestHeader(xid, op));
        } else {
            sendRecords(new RequestHeader(xid, op), body);
        }
    }

    static byte[] frame(byte[] body) {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    // ------------------------------------------------------------------ reading

    /** The next frame's body, or null if the server closed the connection before one began. */
    byte[] readFrame() throws IOException {
        int len;
        try {
            len = in.readInt();
        } catch (EOFException e) {
            return null;
        } catch (SocketException e) {
            // "Connection reset": the server closed with data of ours still unread
            return null;
        }
        if (len < 0 || len > MAX_REPLY) {
            throw new IOException("server sent frame length " + len);
        }
        byte[] body = new byte[len];
        in.readFully(body);
        return body;
    }

    byte[] requireFrame() throws IOException {
        byte[] body = readFrame();
        if (body == null) {
            throw new EOFException("the server closed the connection instead of replying");
        }
        return body;
    }

    ConnectResponse readConnectResponse() throws IOException {
        return decode(requireFrame(), ConnectResponse::read);
    }

    /** Sends {@code req} and returns the ConnectResponse. */
    ConnectResponse handshake(ConnectRequest req) throws IOException {
        sendRecords(req);
        return readConnectResponse();
    }

    /** Starts a new session with a 30 s request (clamped by the server) and returns the response. */
    ConnectResponse handshake() throws IOException {
        return handshake(newSession(30_000));
    }

    Reply readReply() throws IOException {
        byte[] body = requireFrame();
        try {
            JuteInput input = new JuteInput(Unpooled.wrappedBuffer(body));
            ReplyHeader header = ReplyHeader.read(input);
            return new Reply(header, Arrays.copyOfRange(body, 16, body.length));
        } catch (JuteException e) {
            throw new IOException("undecodable reply of " + body.length + " bytes", e);
        }
    }

    /** The next reply that is not a watch notification (xid -1). */
    Reply readReplySkippingEvents() throws IOException {
        while (true) {
            Reply r = readReply();
            if (r.header().xid() != -1) {
                return r;
            }
        }
    }

    /**
     * Waits for the server to close the connection and returns whatever bytes it sent first. Fails
     * if the connection is still open after the read timeout.
     */
    byte[] readUntilClosed() throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        InputStream raw = socket.getInputStream();
        try {
            int n;
            while ((n = raw.read(buf)) >= 0) {
                seen.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection within "
                    + socket.getSoTimeout() + " ms; it sent " + seen.size() + " bytes", e);
        } catch (SocketException e) {
            // reset by the server: closed as well
        }
        return seen.toByteArray();
    }

    /** Fails unless the server closes the connection without sending anything more. */
    void assertClosedWithoutReply() throws IOException {
        byte[] extra = readUntilClosed();
        if (extra.length != 0) {
            throw new AssertionError("expected the server to close silently, but it sent " + extra.length
                    + " bytes: " + hex(extra));
        }
    }

    /** Everything a four-letter word answers, as text. */
    String readAllText() throws IOException {
        return new String(readUntilClosed(), StandardCharsets.UTF_8);
    }

    static <T> T decode(byte[] bytes, JuteInput.Reader<T> reader) {
        try {
            return Jute.fromBytes(bytes, reader);
        } catch (JuteException e) {
            throw new AssertionError("undecodable record (" + bytes.length + " bytes): " + hex(bytes), e);
        }
    }

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, 256); i++) {
            sb.append(String.format("%02x", bytes[i]));
        }
        return bytes.length > 256 ? sb + "…" : sb.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A reply frame split into its header and the raw body that followed it. */
    record Reply(ReplyHeader header, byte[] body) {
        int xid() {
            return header.xid();
        }

        int err() {
            return header.err();
        }

        long zxid() {
            return header.zxid();
        }

        <T> T body(JuteInput.Reader<T> reader) {
            return decode(body, reader);
        }
    }
}
