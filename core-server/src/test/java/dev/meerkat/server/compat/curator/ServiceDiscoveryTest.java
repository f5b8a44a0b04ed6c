package dev.meerkat.server.compat.curator;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.x.discovery.ServiceCache;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.curator.x.discovery.details.ServiceCacheListener;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** curator-x-discovery: instances are ephemeral nodes under /basePath/name, read and cached by others. */
class ServiceDiscoveryTest extends CuratorCompatTest {

    private ServiceDiscovery<String> discovery(CuratorFramework client, String basePath) throws Exception {
        ServiceDiscovery<String> d = closeAfter(ServiceDiscoveryBuilder.builder(String.class)
                .client(client).basePath(basePath).build());
        d.start();
        return d;
    }

    private static ServiceInstance<String> instance(String name, String address, int port) throws Exception {
        return ServiceInstance.<String>builder().name(name).address(address).port(port).payload("zone-a").build();
    }

    @Test
    void registeredInstancesAreFoundAndOneWhoseClientClosesDisappears() throws Exception {
        String basePath = unique("services");
        CuratorFramework leavingClient = newClient();
        ServiceDiscovery<String> staying = discovery(newClient(), basePath);
        ServiceDiscovery<String> leaving = discovery(leavingClient, basePath);
        ServiceDiscovery<String> observer = discovery(newClient(), basePath);

        ServiceInstance<String> first = instance("orders", "10.0.0.1", 8080);
        ServiceInstance<String> second = instance("orders", "10.0.0.2", 8080);
        ServiceInstance<String> billing = instance("billing", "10.0.0.3", 9090);
        staying.registerService(first);
        staying.registerService(billing);
        leaving.registerService(second);

        assertThat(observer.queryForNames()).containsExactlyInAnyOrder("orders", "billing");
        assertThat(observer.queryForInstances("orders")).extracting(ServiceInstance::getId)
                .containsExactlyInAnyOrder(first.getId(), second.getId());
        ServiceInstance<String> found = observer.queryForInstance("orders", second.getId());
        assertThat(found.getAddress()).isEqualTo("10.0.0.2");
        assertThat(found.getPort()).isEqualTo(8080);
        assertThat(found.getPayload()).isEqualTo("zone-a");

        ServiceCache<String> cache = closeAfter(observer.serviceCacheBuilder().name("orders").build());
        AtomicInteger changes = new AtomicInteger();
        cache.addListener(new ServiceCacheListener() {
            @Override
            public void cacheChanged() {
                changes.incrementAndGet();
            }

            @Override
            public void stateChanged(CuratorFramework client, ConnectionState newState) {
            }
        });
        cache.start();
        assertThat(cache.getInstances()).hasSize(2);

        // The session ends, so the server deletes the ephemeral instance node; nothing unregisters it.
        leavingClient.close();

        await().atMost(Duration.ofSeconds(10)).until(() -> changes.get() > 0 && cache.getInstances().size() == 1);
        assertThat(cache.getInstances()).extracting(ServiceInstance::getId).containsExactly(first.getId());
        assertThat(observer.queryForInstances("orders")).extracting(ServiceInstance::getId)
                .containsExactly(first.getId());

        int before = changes.get();
        ServiceInstance<String> third = instance("orders", "10.0.0.4", 8081);
        staying.registerService(third);
        await().atMost(Duration.ofSeconds(10)).until(() -> changes.get() > before && cache.getInstances().size() == 2);
        assertThat(cache.getInstances()).extracting(ServiceInstance::getId)
                .containsExactlyInAnyOrder(first.getId(), third.getId());

        staying.unregisterService(first);
        await().atMost(Duration.ofSeconds(10)).until(() -> cache.getInstances().size() == 1);
        assertThat(observer.queryForInstances("billing")).hasSize(1);
    }
}
