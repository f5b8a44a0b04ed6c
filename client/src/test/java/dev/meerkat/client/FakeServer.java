package dev.meerkat.client;

import dev.meerkat.protocol.jute.Jute;
import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.Record;
import dev.meerkat.protocol.record.ConnectRequest;
import dev.meerkat.protocol.record.ConnectResponse;
import dev.meerkat.protocol.record.ReplyHeader;
import dev.meerkat.protocol.record.RequestHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A scripted stand-in for a server: the test reads exactly what the client sends and answers (or
 * misbehaves) as it likes. Used for what a real server cannot be made to do on demand: replies out
 * of order, silence, oversized frames, a precise look at the bytes of a handshake.
 */
final class FakeServer implements AutoCloseable {
    static final int READ_TIMEOUT_MS = 10_000;

    private final ServerSocket listener;
    private final BlockingQueue<Conn> connections = new LinkedBlockingQueue<>();
    private final List<Conn> all = new CopyOnWriteArrayList<>();

    FakeServer() {
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Socket s = listener.accept();
                    s.setSoTimeout(READ_TIMEOUT_MS);
                    s.setTcpNoDelay(true);
                    Conn c = new Conn(s);
                    all.add(c);
                    connections.add(c);
                } catch (IOException e) {
                    return;
                }
            }
        }, "fake-server-accept");
        t.setDaemon(true);
        t.start();
    }

    String connectString() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /** The next connection the client makes. */
    Conn accept() throws InterruptedException {
        Conn c = connections.poll(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        if (c == null) {
            throw new AssertionError("the client did not connect within " + READ_TIMEOUT_MS + " ms");
        }
        return c;
    }

    /** Closes the listener and every connection, so that clients see the server gone at once. */
    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        all.forEach(Conn::close);
    }

    /** A request as it arrived: its header and its raw body. */
    record Request(int xid, int type, byte[] body, long arrivedNanos) {
        <T> T read(JuteInput.Reader<T> reader) throws JuteException {
            return Jute.fromBytes(body, reader);
        }
    }

    static final class Conn implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;
        private final DataOutputStream out;

        Conn(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = new DataOutputStream(socket.getOutputStream());
        }

        byte[] readFrame() throws IOException {
            int len = in.readInt();
            byte[] frame = new byte[len];
            in.readFully(frame);
            return frame;
        }

        /** The handshake's raw bytes. */
        byte[] readConnectFrame() throws IOException {
            return readFrame();
        }

        ConnectRequest readConnectRequest() throws IOException {
            return decode(readFrame(), ConnectRequest::read);
        }

        void sendConnectResponse(int timeout, long sessionId, byte[] password) throws IOException {
            send(new ConnectResponse(0, timeout, sessionId, password, false, true));
        }

        /** Handshake with a new session. */
        ConnectRequest handshake(int timeout, long sessionId, byte[] password) throws IOException {
            ConnectRequest r = readConnectRequest();
            sendConnectResponse(timeout, sessionId, password);
            return r;
        }

        Request readRequest() throws IOException {
            byte[] frame = readFrame();
            long now = System.nanoTime();
            ByteBuf buf = Unpooled.wrappedBuffer(frame);
            RequestHeader h = RequestHeader.read(new JuteInput(buf));
            byte[] body = new byte[buf.readableBytes()];
            buf.readBytes(body);
            return new Request(h.xid(), h.type(), body, now);
        }

        /** The next request that is not a ping (answering the pings met on the way). */
        Request readRequestSkippingPings(long zxid) throws IOException {
            while (true) {
                Request r = readRequest();
                if (r.xid() != -2) {
                    return r;
                }
                reply(-2, zxid, 0);
            }
        }

        void reply(int xid, long zxid, int err, Record... body) throws IOException {
            Record[] all = new Record[body.length + 1];
            all[0] = new ReplyHeader(xid, zxid, err);
            System.arraycopy(body, 0, all, 1, body.length);
            send(all);
        }

        void send(Record... records) throws IOException {
            sendRaw(Jute.toBytes(records));
        }

        void sendRaw(byte[] frame) throws IOException {
            out.writeInt(frame.length);
            out.write(frame);
            out.flush();
        }

        /** Sends just a length prefix, e.g. an oversized one. */
        void sendLength(int length) throws IOException {
            out.writeInt(length);
            out.flush();
        }

        /** Waits until the client closes the connection; false if it sent something else first. */
        boolean awaitClosedByClient() throws IOException {
            try {
                return in.read() < 0;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                // a reset is a close as well
                return true;
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }

        private static <T> T decode(byte[] frame, JuteInput.Reader<T> reader) throws IOException {
            try {
                return Jute.fromBytes(frame, reader);
            } catch (JuteException e) {
                throw new IOException(e);
            }
        }
    }
}
