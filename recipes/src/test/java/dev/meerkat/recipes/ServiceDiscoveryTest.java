package dev.meerkat.recipes;

import dev.meerkat.testkit.TcpProxy;

import dev.meerkat.client.MeerkatClient;
import dev.meerkat.protocol.record.Stat;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceDiscoveryTest extends RecipeTestBase {

    private ServiceInstance instance(int i) {
        return new ServiceInstance("OrderService", "orders-" + i, "10.0.0." + i, 9000 + i, Map.of("zone", "z" + (i % 2)));
    }

    private ServiceDiscovery discovery(MeerkatClient client) {
        return closeLater(new ServiceDiscovery(client, p("services")));
    }

    @Test
    void consumersSeeRegisteredInstancesAndACachedOneVanishesWhenItsClientCloses() throws Exception {
        List<MeerkatClient> providers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            MeerkatClient c = connect();
            providers.add(c);
            discovery(c).register(instance(i));
        }
        ServiceDiscovery consumer = discovery(connect());
        assertThat(consumer.instances("OrderService")).containsExactly(instance(1), instance(2), instance(3));
        assertThat(consumer.serviceNames()).containsExactly("OrderService");
        ServiceCache cache = consumer.cache("OrderService");
        List<String> events = new CopyOnWriteArrayList<>();
        cache.addListener(new ServiceCache.Listener() {
            @Override
            public void instanceUp(ServiceInstance instance) {
                events.add("up " + instance.id());
            }

            @Override
            public void instanceDown(ServiceInstance instance) {
                events.add("down " + instance.id());
            }
        });
        assertThat(cache.instances()).hasSize(3);

        providers.get(1).close();

        Awaitility.await().until(() -> cache.instances().size() == 2);
        assertThat(cache.instances()).containsExactly(instance(1), instance(3));
        assertThat(events).containsExactly("down orders-2");

        discovery(connect()).register(instance(4));
        Awaitility.await().until(() -> cache.instances().size() == 3);
        assertThat(events).containsExactly("down orders-2", "up orders-4");
    }

    @Test
    void aCacheKeepsItsViewWhileDisconnectedAndCatchesUpAfter() throws Exception {
        discovery(connect()).register(instance(1));
        TcpProxy proxy = proxy();
        MeerkatClient consumerClient = connect(proxy.connectString(), b -> { });
        ServiceCache cache = discovery(consumerClient).cache("OrderService");
        assertThat(cache.instances()).containsExactly(instance(1));

        proxy.refuse(true);
        proxy.cutAll();
        Awaitility.await().until(() -> !consumerClient.state().isConnected());
        discovery(connect()).register(instance(2));
        assertThat(cache.instances()).containsExactly(instance(1));
        proxy.refuse(false);

        Awaitility.await().until(() -> cache.instances().equals(List.of(instance(1), instance(2))));
    }

    @Test
    void providersPickRoundRobinRandomOrSticky() throws Exception {
        ServiceDiscovery d = discovery(connect());
        for (int i = 1; i <= 3; i++) {
            d.register(instance(i));
        }
        ServiceProvider roundRobin = d.provider("OrderService", ProviderStrategy.roundRobin());
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            picked.add(roundRobin.getInstance().orElseThrow().id());
        }
        assertThat(picked).containsExactly("orders-1", "orders-2", "orders-3", "orders-1", "orders-2", "orders-3");

        ServiceProvider random = d.provider("OrderService", ProviderStrategy.random());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            seen.add(random.getInstance().orElseThrow().id());
        }
        assertThat(seen).containsExactlyInAnyOrder("orders-1", "orders-2", "orders-3");

        ServiceProvider sticky = d.provider("OrderService", ProviderStrategy.sticky(ProviderStrategy.roundRobin()));
        ServiceInstance first = sticky.getInstance().orElseThrow();
        for (int i = 0; i < 5; i++) {
            assertThat(sticky.getInstance()).contains(first);
        }
        d.unregister(first);
        Awaitility.await().until(() -> !sticky.getInstance().orElseThrow().id().equals(first.id()));
        assertThat(discovery(connect()).provider("Nobody", ProviderStrategy.random()).getInstance()).isEmpty();
    }

    @Test
    void anIdTakenByAnotherLiveSessionIsRefused() throws Exception {
        discovery(connect()).register(instance(1));
        assertThatThrownBy(() -> discovery(connect()).register(instance(1)))
                .isInstanceOf(dev.meerkat.client.MeerkatException.NodeExists.class);
    }

    @Test
    void instancesRegisterAgainAfterTheirSessionExpires() throws Exception {
        TcpProxy proxy = proxy();
        ManagedClient managed = closeLater(ManagedClient.connect(proxy.connectString(), options(b -> { })));
        MeerkatClient firstSession = managed.current();
        ServiceDiscovery provider = closeLater(new ServiceDiscovery(managed, p("services")));
        provider.register(instance(1));
        ServiceCache cache = discovery(connect()).cache("OrderService");
        assertThat(cache.instances()).containsExactly(instance(1));

        expire(firstSession, proxy);

        Awaitility.await().until(() -> managed.current() != firstSession);
        String path = p("services/OrderService/orders-1");
        Awaitility.await().until(() -> await(admin.exists(path))
                .map(Stat::ephemeralOwner).orElse(0L) == managed.current().sessionId());
        Awaitility.await().until(() -> cache.instances().equals(List.of(instance(1))));
    }

    @Test
    void instancesTravelAsJson() {
        ServiceInstance i = new ServiceInstance("OrderService", "o-1", "host", 8080,
                Map.of("zone", "eu \"1\"", "path", "/a\\b\n\u0001"));
        assertThat(ServiceInstance.fromJson(i.toJson())).isEqualTo(i);
        assertThat(Json.decodeFlat(" { \"a\" : \"b\" , \"n\" : 12 , \"z\" : null } ")).containsExactly(
                Map.entry("a", "b"), Map.entry("n", "12"));
        assertThatThrownBy(() -> Json.decode("{\"a\":[1]}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.decode("{\"a\":\"b\"} x")).isInstanceOf(IllegalArgumentException.class);
    }
}
