package dev.meerkat.client;

import dev.meerkat.protocol.PathUtils;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed connect string, {@code host:port,host:port[/chroot]}, as ZooKeeper's clients accept it.
 * A host without a port gets 2181; an IPv6 address goes in brackets ({@code [::1]:2181}). The
 * chroot, if any, follows the last host and applies to every path the client sends and receives;
 * {@code /} means no chroot.
 *
 * @param hosts  the servers in the order written (the client shuffles them)
 * @param chroot the chroot path, or the empty string for none
 */
public record ConnectString(List<HostAndPort> hosts, String chroot) {
    public static final int DEFAULT_PORT = 2181;

    /** One server of the connect string; the host is resolved again on every connection attempt. */
    public record HostAndPort(String host, int port) {
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    public ConnectString {
        hosts = List.copyOf(hosts);
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("a connect string needs at least one host");
        }
    }

    /**
     * @throws IllegalArgumentException if a host or port is malformed or the chroot is not a valid
     *                                  path
     */
    public static ConnectString parse(String connectString) {
        if (connectString == null || connectString.isBlank()) {
            throw new IllegalArgumentException("empty connect string");
        }
        String hostList = connectString.trim();
        String chroot = "";
        int slash = hostList.indexOf('/');
        if (slash >= 0) {
            chroot = hostList.substring(slash);
            hostList = hostList.substring(0, slash);
            PathUtils.validatePath(chroot);
            if (chroot.equals("/")) {
                chroot = "";
            }
        }
        List<HostAndPort> hosts = new ArrayList<>();
        for (String part : hostList.split(",")) {
            String hp = part.trim();
            if (!hp.isEmpty()) {
                hosts.add(parseHost(hp, connectString));
            }
        }
        return new ConnectString(hosts, chroot);
    }

    private static HostAndPort parseHost(String hp, String whole) {
        String host;
        String port = null;
        if (hp.startsWith("[")) {
            int close = hp.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '[' in \"" + whole + "\"");
            }
            host = hp.substring(1, close);
            String rest = hp.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("expected ':' after ']' in \"" + whole + "\"");
                }
                port = rest.substring(1);
            }
        } else {
            int colon = hp.lastIndexOf(':');
            if (colon >= 0 && hp.indexOf(':') != colon) {
                throw new IllegalArgumentException("an IPv6 address needs brackets: \"" + hp + "\"");
            }
            host = colon < 0 ? hp : hp.substring(0, colon);
            port = colon < 0 ? null : hp.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host in \"" + whole + "\"");
        }
        return new HostAndPort(host, port == null ? DEFAULT_PORT : parsePort(port, whole));
    }

    private static int parsePort(String port, String whole) {
        try {
            int p = Integer.parseInt(port);
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("port out of range in \"" + whole + "\": " + port);
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in \"" + whole + "\": " + port, e);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (HostAndPort h : hosts) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(h);
        }
        return sb.append(chroot).toString();
    }
}
