package dev.meerkat.samples;

import dev.meerkat.client.MeerkatClient;
import dev.meerkat.recipes.ConfigCenter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A publisher changes a setting; every subscriber prints the new value. */
final class ConfigSample implements Samples.Sample {
    private static final int SUBSCRIBERS = 3;
    private static final List<String> VALUES = List.of("100", "250", "500");

    @Override
    public String description() {
        return "a publisher changes a setting, " + SUBSCRIBERS + " subscribers print each new value";
    }

    @Override
    public Samples.Outcome run(Samples.Context ctx) throws Exception {
        String setting = ctx.root + "/orders/maxBatch";
        List<MeerkatClient> clients = new ArrayList<>();
        List<ConfigCenter> centers = new ArrayList<>();
        Map<String, String> lastSeen = new ConcurrentHashMap<>();
        String finalValue = VALUES.get(VALUES.size() - 1);
        try {
            MeerkatClient pubClient = ctx.connect();
            clients.add(pubClient);
            ConfigCenter publisher = new ConfigCenter(pubClient);
            centers.add(publisher);
            publisher.publish(setting, "50");
            ctx.say("publisher: maxBatch = 50");

            List<CountDownLatch> ready = new ArrayList<>();
            CountDownLatch allSawFinal = new CountDownLatch(SUBSCRIBERS);
            for (int s = 1; s <= SUBSCRIBERS; s++) {
                MeerkatClient c = ctx.connect();
                clients.add(c);
                ConfigCenter center = new ConfigCenter(c);
                centers.add(center);
                String name = "subscriber-" + s;
                CountDownLatch first = new CountDownLatch(1);
                ready.add(first);
                center.subscribe(setting, (path, value) -> {
                    String v = value.map(ConfigCenter.Versioned::value).orElse("<unset>");
                    ctx.say("  %s: maxBatch is now %s", name, v);
                    lastSeen.put(name, v);
                    first.countDown();
                    if (v.equals(finalValue)) {
                        allSawFinal.countDown();
                    }
                });
            }
            for (CountDownLatch l : ready) {
                l.await(30, TimeUnit.SECONDS);
            }
            for (String v : VALUES) {
                publisher.publish(setting, v);
                ctx.say("publisher: maxBatch = %s", v);
                // wait until everybody has it, so each subscriber prints every value
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!lastSeen.values().stream().allMatch(v::equals) && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
            }
            boolean ok = allSawFinal.await(30, TimeUnit.SECONDS);
            String cached = centers.get(1).get(setting, "?");
            return new Samples.Outcome(ok && cached.equals(finalValue), SUBSCRIBERS + " subscribers followed "
                    + VALUES.size() + " changes; each ended at maxBatch=" + finalValue + " (cached read: " + cached + ")");
        } finally {
            for (ConfigCenter c : centers) {
                c.close();
            }
            clients.forEach(MeerkatClient::close);
        }
    }
}
