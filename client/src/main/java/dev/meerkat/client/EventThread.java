package dev.meerkat.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The one thread per client on which watch callbacks, connection-state listeners and future
 * completions run, in the order the I/O loop handed them over, which is the server's order.
 *
 * <p>The queue is unbounded on purpose: the I/O loop must never wait for user code, so a slow
 * callback lets events pile up here rather than stall reads and pings. Requests are bounded
 * elsewhere (the request slots), so what can pile up is their completions plus watch events, and
 * watch events are bounded by what the server sends for this client's watches.
 */
final class EventThread implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(EventThread.class);
    private static final Runnable STOP = () -> { };

    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private boolean stopped;

    EventThread(String name) {
        thread = new Thread(this::run, name);
        // a client the application forgot to close must not keep the JVM alive, as in ZooKeeper
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Runs {@code task} on the event thread after everything queued before it. Once the thread
     * has stopped (the client is closed or expired), tasks go to the common pool: by then only
     * failures of calls made after the end remain, and they must still complete.
     */
    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            if (!stopped) {
                queue.add(task);
                return;
            }
        }
        ForkJoinPool.commonPool().execute(task);
    }

    /** Stops the thread after it has run everything queued so far. */
    void shutdown() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            queue.add(STOP);
        }
    }

    boolean isCurrentThread() {
        return Thread.currentThread() == thread;
    }

    private void run() {
        while (true) {
            Runnable task;
            try {
                task = queue.take();
            } catch (InterruptedException e) {
                // nobody but us should interrupt this thread; keep serving so no event is lost
                continue;
            }
            if (task == STOP) {
                return;
            }
            try {
                task.run();
            } catch (Throwable t) {
                LOG.error("A watcher, listener or future callback threw; the event thread carries on", t);
            }
        }
    }
}
