package dev.meerkat.recipes;

import dev.meerkat.client.ClientOptions;
import dev.meerkat.client.MeerkatClient;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One process of {@link MultiProcessLockTest}: takes the lock {@code rounds} times and each time
 * increments a counter znode with an unconditional read-modify-write, which only the lock keeps
 * exact. Prints {@code done N} and exits 0, or exits 1.
 */
public final class LockWorker {
    private LockWorker() {
    }

    public static void main(String[] args) throws Exception {
        String connect = args[0];
        String lockPath = args[1];
        String counterPath = args[2];
        int rounds = Integer.parseInt(args[3]);
        try (MeerkatClient client = MeerkatClient.connect(connect, ClientOptions.builder().build())
                .get(30, TimeUnit.SECONDS)) {
            DistributedLock lock = new DistributedLock(client, lockPath);
            for (int i = 0; i < rounds; i++) {
                lock.lock();
                try {
                    byte[] data = client.getData(counterPath).get(30, TimeUnit.SECONDS).data();
                    int value = Integer.parseInt(new String(data, StandardCharsets.US_ASCII));
                    client.setData(counterPath, Integer.toString(value + 1).getBytes(StandardCharsets.US_ASCII), -1)
                            .get(30, TimeUnit.SECONDS);
                } finally {
                    lock.unlock();
                }
            }
            System.out.println("done " + rounds);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }
}
