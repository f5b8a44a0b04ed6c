package dev.meerkat.bench.load;

import dev.meerkat.client.ClientOptions;
import dev.meerkat.client.MeerkatClient;
import dev.meerkat.client.MeerkatException;
import dev.meerkat.protocol.CreateMode;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * Meerkat's own asynchronous client ({@link MeerkatClient}), with its default options apart from
 * the session timeout: one connection, an I/O thread and an event thread per session, as the
 * official client has. The completion runs where the future completes, on the client's event
 * thread, as the official client's callbacks run on its own.
 */
final class MeerkatLoadClient implements LoadClient {

    @Override
    public String name() {
        return "meerkat";
    }

    @Override
    public String display() {
        return "Meerkat client";
    }

    @Override
    public Session connect(String connectString, int sessionTimeoutMs) throws IOException, InterruptedException {
        ClientOptions options = ClientOptions.builder().sessionTimeout(Duration.ofMillis(sessionTimeoutMs)).build();
        try {
            return new OurSession(MeerkatClient.connect(connectString, options).get(30, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
            throw new IOException("no session with " + connectString + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no session with " + connectString + " within 30 s", e);
        }
    }

    /** ZooKeeper's name of the failure's code, as the official client reports it. */
    static String errorName(Throwable t) {
        Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return e instanceof MeerkatException m ? m.code().name() : e.getClass().getSimpleName();
    }

    private record OurSession(MeerkatClient client) implements Session {

        private static <T> void whenDone(CompletableFuture<T> f, Completion done, long startNanos) {
            f.whenComplete((BiConsumer<T, Throwable>) (r, e) ->
                    done.completed(startNanos, e == null ? null : errorName(e)));
        }

        @Override
        public void create(String path, byte[] data, Completion done, long startNanos) {
            whenDone(client.create(path, data, CreateMode.PERSISTENT), done, startNanos);
        }

        @Override
        public void setData(String path, byte[] data, Completion done, long startNanos) {
            whenDone(client.setData(path, data), done, startNanos);
        }

        @Override
        public void getData(String path, Completion done, long startNanos) {
            whenDone(client.getData(path), done, startNanos);
        }

        @Override
        public void exists(String path, Completion done, long startNanos) {
            whenDone(client.exists(path), done, startNanos);
        }

        @Override
        public void delete(String path, Completion done, long startNanos) {
            whenDone(client.delete(path), done, startNanos);
        }

        @Override
        public void close() {
            try {
                client.close();
            } catch (RuntimeException e) {
                // the session ends on the server by timeout; nothing else to do
            }
        }
    }
}
