package dev.meerkat.samples;

import dev.meerkat.client.MeerkatClient;
import dev.meerkat.recipes.ProviderStrategy;
import dev.meerkat.recipes.ServiceCache;
import dev.meerkat.recipes.ServiceDiscovery;
import dev.meerkat.recipes.ServiceInstance;
import dev.meerkat.recipes.ServiceProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Four OrderService instances register; a consumer calls them round-robin; one dies; three remain. */
final class DiscoverySample implements Samples.Sample {
    @Override
    public String description() {
        return "four OrderService instances register, a consumer calls them round-robin, one is killed";
    }

    @Override
    public Samples.Outcome run(Samples.Context ctx) throws Exception {
        String base = ctx.root + "/services";
        List<MeerkatClient> instanceClients = new ArrayList<>();
        List<MeerkatClient> all = new ArrayList<>();
        try {
            for (int i = 1; i <= 4; i++) {
                MeerkatClient c = ctx.connect();
                all.add(c);
                instanceClients.add(c);
                ServiceInstance instance = new ServiceInstance("OrderService", "orders-" + i, "127.0.0.1", 9000 + i,
                        Map.of("version", "1.4." + i));
                new ServiceDiscovery(c, base).register(instance);
                ctx.say("registered %s at %s (session 0x%x)", instance.id(), instance.hostAndPort(), c.sessionId());
            }

            MeerkatClient consumerClient = ctx.connect();
            all.add(consumerClient);
            ServiceDiscovery consumer = new ServiceDiscovery(consumerClient, base);
            List<ServiceInstance> listed = consumer.instances("OrderService");
            ctx.say("consumer lists %d instances: %s", listed.size(), ids(listed));
            ServiceProvider provider = consumer.provider("OrderService", ProviderStrategy.roundRobin());
            ServiceCache cache = provider.cache();
            CountDownLatch oneDown = new CountDownLatch(1);
            cache.addListener(new ServiceCache.Listener() {
                @Override
                public void instanceUp(ServiceInstance instance) {
                    ctx.say("  cache: %s is up", instance.id());
                }

                @Override
                public void instanceDown(ServiceInstance instance) {
                    ctx.say("  cache: %s is down", instance.id());
                    oneDown.countDown();
                }
            });
            List<String> before = call(ctx, provider, 8);

            ctx.say("killing orders-2 (closing its client)");
            instanceClients.get(1).close();
            if (!oneDown.await(30, TimeUnit.SECONDS)) {
                return new Samples.Outcome(false, "the consumer never saw orders-2 go");
            }
            List<ServiceInstance> after = cache.instances();
            ctx.say("consumer now sees %d instances: %s", after.size(), ids(after));
            List<String> afterCalls = call(ctx, provider, 6);
            provider.close();

            boolean ok = listed.size() == 4 && before.containsAll(List.of("orders-1", "orders-2", "orders-3", "orders-4"))
                    && after.size() == 3 && !afterCalls.contains("orders-2") && afterCalls.size() == 6;
            return new Samples.Outcome(ok, "consumer saw " + listed.size() + " instances, then " + after.size()
                    + " after orders-2 was killed; " + (before.size() + afterCalls.size()) + " round-robin calls, none to a dead instance");
        } finally {
            all.forEach(MeerkatClient::close);
        }
    }

    private static List<String> call(Samples.Context ctx, ServiceProvider provider, int calls) {
        List<String> served = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            ServiceInstance target = provider.getInstance().orElseThrow();
            ctx.say("call %d -> %s at %s", i + 1, target.id(), target.hostAndPort());
            served.add(target.id());
        }
        return served;
    }

    private static List<String> ids(List<ServiceInstance> instances) {
        return instances.stream().map(ServiceInstance::id).toList();
    }
}
