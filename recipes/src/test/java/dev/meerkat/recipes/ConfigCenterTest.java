package dev.meerkat.recipes;

import dev.meerkat.testkit.TcpProxy;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigCenterTest extends RecipeTestBase {

    @Test
    void subscribersGetEveryValueInOrderAndTheLast() throws Exception {
        ConfigCenter publisher = closeLater(new ConfigCenter(connect()));
        ConfigCenter subscriber = closeLater(new ConfigCenter(connect()));
        String path = p("config/orders/maxBatch");
        List<String> seen = new CopyOnWriteArrayList<>();
        subscriber.subscribe(path, (changed, value) -> seen.add(value.map(ConfigCenter.Versioned::value).orElse("<none>")));
        Awaitility.await().until(() -> seen.size() == 1);

        for (int i = 1; i <= 20; i++) {
            publisher.publish(path, Integer.toString(i));
        }

        Awaitility.await().until(() -> seen.get(seen.size() - 1).equals("20"));
        assertThat(seen.get(0)).isEqualTo("<none>");
        List<Integer> numbers = seen.subList(1, seen.size()).stream().map(Integer::parseInt).toList();
        assertThat(numbers).isSorted().doesNotHaveDuplicates();

        await(admin.delete(path));
        Awaitility.await().until(() -> seen.get(seen.size() - 1).equals("<none>"));
        publisher.publish(path, "back");
        Awaitility.await().until(() -> seen.get(seen.size() - 1).equals("back"));
    }

    @Test
    void aSubscriberCatchesUpOnWhatChangedWhileItWasDisconnected() throws Exception {
        TcpProxy proxy = proxy();
        dev.meerkat.client.MeerkatClient subscriberClient = connect(proxy.connectString(), b -> { });
        ConfigCenter subscriber = closeLater(new ConfigCenter(subscriberClient));
        ConfigCenter publisher = closeLater(new ConfigCenter(connect()));
        String path = p("config/mode");
        publisher.publish(path, "a");
        List<String> seen = new CopyOnWriteArrayList<>();
        subscriber.subscribe(path, (changed, value) -> seen.add(value.map(ConfigCenter.Versioned::value).orElse("<none>")));
        Awaitility.await().until(() -> seen.equals(List.of("a")));
        assertThat(subscriber.get(path, null)).isEqualTo("a");

        proxy.refuse(true);
        proxy.cutAll();
        Awaitility.await().until(() -> !subscriberClient.state().isConnected());
        publisher.publish(path, "b");
        proxy.refuse(false);

        Awaitility.await().until(() -> seen.equals(List.of("a", "b")));
        assertThat(subscriber.get(path, null)).isEqualTo("b");
    }

    @Test
    void readsComeFromTheCacheAndFollowChanges() throws Exception {
        ConfigCenter reader = closeLater(new ConfigCenter(connect()));
        ConfigCenter writer = closeLater(new ConfigCenter(connect()));
        String path = p("config/timeout");
        assertThat(reader.get(path)).isEmpty();
        writer.publish(path, "10");
        Awaitility.await().until(() -> reader.get(path, "?").equals("10"));
        assertThat(reader.get(path)).contains(new ConfigCenter.Versioned("10", 0));

        writer.publish(path, "20");
        Awaitility.await().until(() -> reader.get(path, "?").equals("20"));
        assertThat(reader.get(path).orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void compareAndSetRefusesAStaleVersion() throws Exception {
        ConfigCenter a = closeLater(new ConfigCenter(connect()));
        ConfigCenter b = closeLater(new ConfigCenter(connect()));
        String path = p("config/flag");
        a.publish(path, "off");
        ConfigCenter.Versioned seen = a.get(path).orElseThrow();

        assertThat(b.compareAndSet(path, seen.version(), "on")).isTrue();
        assertThat(a.compareAndSet(path, seen.version(), "maybe")).isFalse();
        assertThat(a.update(path, v -> v + "!")).isEqualTo("on!");
        Awaitility.await().until(() -> b.get(path).equals(Optional.of(new ConfigCenter.Versioned("on!", 2))));
    }

    @Test
    void aSubtreeIsPublishedAtOnce() throws Exception {
        ConfigCenter c = closeLater(new ConfigCenter(connect()));
        c.publishTree(p("app"), Map.of("db/url", "jdbc:x", "db/pool", "8", "mode", "fast"));
        assertThat(c.get(p("app/db/url"), null)).isEqualTo("jdbc:x");
        assertThat(c.get(p("app/db/pool"), null)).isEqualTo("8");
        assertThat(c.get(p("app/mode"), null)).isEqualTo("fast");
    }
}
