package dev.meerkat.recipes;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** How a {@link ServiceProvider} picks one of the live instances. */
@FunctionalInterface
public interface ProviderStrategy {
    /** One of {@code instances} (never empty, sorted by id), or null for none. */
    ServiceInstance choose(List<ServiceInstance> instances);

    /** Each call the next instance in id order, wrapping around. */
    static ProviderStrategy roundRobin() {
        AtomicInteger next = new AtomicInteger();
        return instances -> instances.get(Math.floorMod(next.getAndIncrement(), instances.size()));
    }

    static ProviderStrategy random() {
        return instances -> instances.get(ThreadLocalRandom.current().nextInt(instances.size()));
    }

    /** The same instance every call while it lives; then another, chosen by {@code fallback}. */
    static ProviderStrategy sticky(ProviderStrategy fallback) {
        AtomicReference<ServiceInstance> chosen = new AtomicReference<>();
        return instances -> {
            ServiceInstance current = chosen.get();
            if (current != null) {
                for (ServiceInstance i : instances) {
                    if (i.id().equals(current.id())) {
                        return i;
                    }
                }
            }
            ServiceInstance picked = fallback.choose(instances);
            chosen.set(picked);
            return picked;
        };
    }
}
