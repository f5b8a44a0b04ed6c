package dev.meerkat.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of a server, which a test can use to break the network: cut every
 * connection, refuse new ones (as a server that is down), or hold the bytes of one or both
 * directions (as a stalled network) without losing them.
 */
public final class TcpProxy implements AutoCloseable {
    private final int targetPort;
    private final ServerSocket listener;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Object gate = new Object();
    private boolean holdRequests;
    private boolean holdReplies;
    private volatile boolean refusing;
    private volatile boolean closed;

    public TcpProxy(int targetPort) {
        this.targetPort = targetPort;
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread t = new Thread(this::acceptLoop, "proxy-accept-" + listener.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    public String connectString() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /** Connections accepted so far (refused ones included). */
    public int acceptedConnections() {
        return accepted.get();
    }

    public int openConnections() {
        return links.size();
    }

    /** Closes every connection now; new ones are accepted unless {@link #refuse} is on. */
    public void cutAll() {
        for (Link l : links) {
            l.close();
        }
    }

    /** While on, new connections are accepted and closed at once: a server that is not there. */
    public void refuse(boolean on) {
        refusing = on;
    }

    /** While on, client-to-server bytes are held back (and delivered when it goes off). */
    public void holdRequests(boolean on) {
        synchronized (gate) {
            holdRequests = on;
            gate.notifyAll();
        }
    }

    /** While on, server-to-client bytes are held back (and delivered when it goes off). */
    public void holdReplies(boolean on) {
        synchronized (gate) {
            holdReplies = on;
            gate.notifyAll();
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (gate) {
            holdRequests = false;
            holdReplies = false;
            gate.notifyAll();
        }
        try {
            listener.close();
        } catch (IOException e) {
            // closing; nothing to do about it
        }
        cutAll();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            if (refusing) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                Link link = new Link(client, server);
                links.add(link);
                link.start();
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private final class Link {
        final Socket client;
        final Socket server;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            pump(client, server, true);
            pump(server, client, false);
        }

        private void pump(Socket from, Socket to, boolean requests) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[16 * 1024];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        if (!awaitOpen(requests)) {
                            break;
                        }
                        out.write(buf, 0, n);
                        out.flush();
                    }
                } catch (IOException e) {
                    // the other side or a cut closed the link
                } finally {
                    close();
                }
            }, "proxy-" + (requests ? "up" : "down"));
            t.setDaemon(true);
            t.start();
        }

        /** Waits while this direction is held; false if the link was cut meanwhile. */
        private boolean awaitOpen(boolean requests) {
            synchronized (gate) {
                while (!client.isClosed() && (requests ? holdRequests : holdReplies)) {
                    try {
                        gate.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
                return !client.isClosed();
            }
        }

        void close() {
            links.remove(this);
            closeQuietly(client);
            closeQuietly(server);
            synchronized (gate) {
                gate.notifyAll();
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already broken, which is what we wanted
        }
    }
}
