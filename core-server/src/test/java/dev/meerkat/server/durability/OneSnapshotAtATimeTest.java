package dev.meerkat.server.durability;

import dev.meerkat.server.EmbeddedMeerkat;
import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SnapshotWriter's contract is one snapshot at a time per directory (ZooKeeper likewise skips a
 * snapshot while the previous one is still being written: "Too busy to snap"). Under a steady
 * write load with a small snapCount the next snapshot must therefore wait until the previous file
 * is complete, so at most one temporary snapshot file exists at any moment; otherwise writers pile
 * up, each with its own backlog of node images, competing with the log's fsync for the disk.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OneSnapshotAtATimeTest {
    private static final long SEED = 0x5EED_0A0AL;
    private static final int NODES = 3000;
    private static final int MAX_WRITES = 20_000;

    @Test
    void aSnapshotStartsOnlyAfterThePreviousOneIsComplete() throws Exception {
        Random rnd = new Random(SEED);
        List<ZooKeeper> clients = new ArrayList<>();
        try (EmbeddedMeerkat meerkat = EmbeddedMeerkat.start(b -> b.snapCount(10))) {
            Path snapDir = meerkat.server().durability().snapshotDir();
            ZooKeeper zk = Clients.connect(meerkat.connectString(), 30_000);
            clients.add(zk);
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            Semaphore outstanding = new Semaphore(200);
            byte[] value = new byte[1024];
            zk.create("/big", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            for (int i = 0; i < NODES; i++) {
                outstanding.acquire();
                rnd.nextBytes(value);
                zk.create("/big/n" + i, value.clone(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
                        (AsyncCallback.StringCallback) (rc, path, ctx, name) -> {
                            outstanding.release();
                            if (rc != KeeperException.Code.OK.intValue()) {
                                failures.add(path + ": " + KeeperException.Code.get(rc));
                            }
                        }, null);
            }
            int maxTemporary = 0;
            List<Path> seen = List.of();
            int writes = 0;
            while (writes < MAX_WRITES && maxTemporary <= 1) {
                for (int k = 0; k < 50; k++, writes++) {
                    outstanding.acquire();
                    rnd.nextBytes(value);
                    zk.setData("/big/n" + rnd.nextInt(NODES), value.clone(), -1, (rc, path, ctx, stat) -> {
                        outstanding.release();
                        if (rc != KeeperException.Code.OK.intValue()) {
                            failures.add(path + ": " + KeeperException.Code.get(rc));
                        }
                    }, null);
                }
                List<Path> temporary = temporarySnapshots(snapDir);
                if (temporary.size() > maxTemporary) {
                    maxTemporary = temporary.size();
                    seen = temporary;
                }
            }
            assertThat(outstanding.tryAcquire(200, 30, TimeUnit.SECONDS)).isTrue();
            assertThat(failures).isEmpty();
            System.out.printf("[seed 0x%X] %d writes, at most %d snapshot(s) being written at once%n", SEED, writes,
                    maxTemporary);
            assertThat(maxTemporary).as("[seed 0x%X] snapshots being written at the same time after %d writes: %s",
                    SEED, writes, seen).isLessThanOrEqualTo(1);
        } finally {
            Clients.closeAll(clients);
        }
    }

    private static List<Path> temporarySnapshots(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "snapshot.*.tmp")) {
            files.forEach(out::add);
        }
        return out;
    }
}
