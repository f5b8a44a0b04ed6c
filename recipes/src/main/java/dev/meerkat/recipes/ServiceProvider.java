package dev.meerkat.recipes;

import java.util.List;
import java.util.Optional;

/** Picks an instance of one service from a {@link ServiceCache}, by a {@link ProviderStrategy}. */
public final class ServiceProvider implements AutoCloseable {
    private final ServiceCache cache;
    private final ProviderStrategy strategy;

    public ServiceProvider(ServiceCache cache, ProviderStrategy strategy) {
        this.cache = cache;
        this.strategy = strategy;
    }

    /** An instance to call, or empty when none is registered. */
    public Optional<ServiceInstance> getInstance() {
        List<ServiceInstance> instances = cache.instances();
        return instances.isEmpty() ? Optional.empty() : Optional.ofNullable(strategy.choose(instances));
    }

    public ServiceCache cache() {
        return cache;
    }

    @Override
    public void close() {
        cache.close();
    }
}
