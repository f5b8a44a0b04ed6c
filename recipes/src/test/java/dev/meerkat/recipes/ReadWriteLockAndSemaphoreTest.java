package dev.meerkat.recipes;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ReadWriteLockAndSemaphoreTest extends RecipeTestBase {

    @Test
    void readersShareAndAWriterIsAlone() throws Exception {
        ReadWriteLock a = new ReadWriteLock(connect(), p("rw"));
        ReadWriteLock b = new ReadWriteLock(connect(), p("rw"));
        a.readLock().lock();
        assertThat(b.readLock().tryLock(WAIT)).isTrue();
        assertThat(b.writeLock().tryLock(Duration.ofMillis(100))).isFalse();

        a.readLock().unlock();
        b.readLock().unlock();
        assertThat(b.writeLock().tryLock(WAIT)).isTrue();
        assertThat(a.readLock().tryLock(Duration.ofMillis(100))).isFalse();
        assertThat(a.writeLock().tryLock(Duration.ofMillis(100))).isFalse();
        b.writeLock().unlock();
    }

    @Test
    void aReaderDoesNotOvertakeAnEarlierWaitingWriter() throws Exception {
        ReadWriteLock firstReader = new ReadWriteLock(connect(), p("rw"));
        ReadWriteLock writer = new ReadWriteLock(connect(), p("rw"));
        ReadWriteLock lateReader = new ReadWriteLock(connect(), p("rw"));
        firstReader.readLock().lock();
        AtomicInteger writerIn = new AtomicInteger();
        Thread w = new Thread(() -> {
            try {
                writer.writeLock().lock();
                writerIn.incrementAndGet();
                Awaitility.await().until(() -> writerIn.get() == 2);
                writer.writeLock().unlock();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        w.start();
        closeLater(w::join);
        Awaitility.await().until(() -> writer.writeLock().participants().size() == 2);

        // readers are still in, but a writer waits: a new reader queues behind it
        assertThat(lateReader.readLock().tryLock(Duration.ofMillis(200))).isFalse();

        firstReader.readLock().unlock();
        Awaitility.await().until(() -> writerIn.get() == 1);
        assertThat(lateReader.readLock().tryLock(Duration.ofMillis(100))).isFalse();
        writerIn.incrementAndGet();
        assertThat(lateReader.readLock().tryLock(WAIT)).isTrue();
        lateReader.readLock().unlock();
    }

    @Test
    void aSemaphoreLetsAtMostItsLeasesIn() throws Exception {
        int leases = 2;
        int workers = 5;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        ExecutorService pool = threads(workers);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            Semaphore semaphore = new Semaphore(connect(), p("sem"), leases);
            done.add(pool.submit(() -> {
                for (int round = 0; round < 3; round++) {
                    try (Semaphore.Lease lease = semaphore.acquire()) {
                        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        Thread.yield();
                        inside.decrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        assertThat(maxInside.get()).isBetween(1, leases);
    }

    @Test
    void aSemaphoreWaiterGetsTheLeaseThatIsReturned() throws Exception {
        Semaphore a = new Semaphore(connect(), p("sem"), 2);
        Semaphore b = new Semaphore(connect(), p("sem"), 2);
        Semaphore.Lease first = a.acquire();
        Semaphore.Lease second = a.acquire();
        assertThat(b.tryAcquire(Duration.ofMillis(100))).isNull();
        Awaitility.await().until(() -> b.participants().size() == 2);

        first.close();
        Semaphore.Lease third = b.tryAcquire(WAIT);
        assertThat(third).isNotNull();
        second.close();
        third.close();
        // a's client may be on another member of an ensemble than b's, which applied the deletes.
        Awaitility.await().until(() -> a.participants().isEmpty());
        assertThat(b.tryAcquire(Duration.ZERO)).isNotNull();
    }
}
