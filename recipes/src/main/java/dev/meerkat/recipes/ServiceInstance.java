package dev.meerkat.recipes;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One instance of a service, as registered under {@code <base>/<name>/<id>}; its node data is
 * JSON: {@code {"name":..,"id":..,"address":..,"port":"8080","payload":{"zone":"eu-1"}}}.
 */
public record ServiceInstance(String name, String id, String address, int port, Map<String, String> payload) {
    public ServiceInstance {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        if (name.isEmpty() || name.contains("/") || id.isEmpty() || id.contains("/")) {
            throw new IllegalArgumentException("name and id must be non-empty and without '/': " + name + ", " + id);
        }
        payload = payload == null ? Map.of() : Map.copyOf(payload);
    }

    public ServiceInstance(String name, String id, String address, int port) {
        this(name, id, address, port, Map.of());
    }

    /** {@code address:port}. */
    public String hostAndPort() {
        return address + ":" + port;
    }

    public byte[] toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("id", id);
        m.put("address", address);
        m.put("port", Integer.toString(port));
        m.put("payload", new java.util.TreeMap<>(payload));
        return Json.encode(m).getBytes(StandardCharsets.UTF_8);
    }

    /** @throws IllegalArgumentException when the data is not an instance's JSON */
    public static ServiceInstance fromJson(byte[] data) {
        if (data == null) {
            throw new IllegalArgumentException("no data");
        }
        Map<String, Object> m = Json.decode(new String(data, StandardCharsets.UTF_8));
        Map<String, String> payload = new LinkedHashMap<>();
        if (m.get("payload") instanceof Map<?, ?> p) {
            p.forEach((k, v) -> payload.put(k.toString(), v.toString()));
        }
        try {
            return new ServiceInstance(str(m, "name"), str(m, "id"), str(m, "address"),
                    Integer.parseInt(str(m, "port")), payload);
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("not a service instance: " + m, e);
        }
    }

    private static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof String s ? s : null;
    }
}
