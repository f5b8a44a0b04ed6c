package dev.meerkat.server.auth;

import dev.meerkat.protocol.record.Id;

import java.net.InetAddress;
import java.util.List;

/**
 * The {@code ip} scheme: every connection holds {@code ip:<its remote address>}, and an ACL entry
 * {@code addr} or {@code addr/bits} grants it if the first {@code bits} bits agree. Address
 * parsing follows ZooKeeper 3.9's rules (IPv6 with at most one {@code ::}, no embedded IPv4 and no
 * {@code %scope}), so an ACL is valid here exactly when it is valid there.
 */
public final class IPAuthenticationProvider implements AuthenticationProvider {
    public static final String SCHEME = "ip";

    private static final int IPV6_SEGMENTS = 8;
    private static final int IPV6_BYTES = 16;
    private static final int IPV6_SEGMENT_HEX_DIGITS = 4;

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public List<Id> authenticate(byte[] authData, InetAddress remote) throws AuthFailedException {
        if (remote == null) {
            throw new AuthFailedException("ip authentication needs the remote address of the connection");
        }
        return List.of(new Id(SCHEME, remote.getHostAddress()));
    }

    @Override
    public boolean matches(String id, String aclExpr) {
        String[] parts = aclExpr.split("/", 2);
        byte[] aclAddr = addressBytes(parts[0]);
        if (aclAddr == null) {
            return false;
        }
        int bits = aclAddr.length * 8;
        if (parts.length == 2) {
            bits = prefixBits(parts[1], aclAddr.length);
            if (bits < 0) {
                return false;
            }
        }
        byte[] remoteAddr = addressBytes(id);
        if (remoteAddr == null || remoteAddr.length != aclAddr.length) {
            return false;
        }
        mask(aclAddr, bits);
        mask(remoteAddr, bits);
        for (int i = 0; i < remoteAddr.length; i++) {
            if (remoteAddr[i] != aclAddr[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean isValid(String id) {
        String[] parts = id.split("/", 2);
        byte[] addr = addressBytes(parts[0]);
        if (addr == null) {
            return false;
        }
        return parts.length == 1 || prefixBits(parts[1], addr.length) >= 0;
    }

    @Override
    public boolean isAuthenticated() {
        return false;
    }

    /** The prefix length, or -1 if it is not a number in 0..8×length. */
    private static int prefixBits(String text, int addrLength) {
        try {
            int bits = Integer.parseInt(text);
            return bits >= 0 && bits <= addrLength * 8 ? bits : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** 4 or 16 bytes, or null; any ':' makes it IPv6, as in ZooKeeper. */
    static byte[] addressBytes(String addr) {
        if (addr.indexOf(':') >= 0) {
            return v6Bytes(addr);
        }
        if (addr.indexOf('.') >= 0) {
            return v4Bytes(addr);
        }
        return null;
    }

    private static byte[] v4Bytes(String addr) {
        String[] parts = addr.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            try {
                int value = Integer.parseInt(parts[i]);
                if (value < 0 || value > 255) {
                    return null;
                }
                bytes[i] = (byte) value;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return bytes;
    }

    private static byte[] v6Bytes(String addr) {
        String[] halves = addr.split("::", -1);
        String[] head;
        String[] tail = new String[0];
        if (halves.length == 1) {
            head = halves[0].split(":", -1);
            if (head.length != IPV6_SEGMENTS) {
                return null;
            }
        } else if (halves.length == 2) {
            head = halves[0].isEmpty() ? new String[0] : halves[0].split(":", -1);
            tail = halves[1].isEmpty() ? new String[0] : halves[1].split(":", -1);
            // "::" stands for at least one zero segment.
            if (head.length + tail.length >= IPV6_SEGMENTS) {
                return null;
            }
        } else {
            return null;
        }
        byte[] bytes = new byte[IPV6_BYTES];
        if (!putSegments(bytes, 0, head) || !putSegments(bytes, IPV6_BYTES - 2 * tail.length, tail)) {
            return null;
        }
        return bytes;
    }

    private static boolean putSegments(byte[] bytes, int offset, String[] segments) {
        int i = offset;
        for (String segment : segments) {
            if (segment.isEmpty() || segment.length() > IPV6_SEGMENT_HEX_DIGITS) {
                return false;
            }
            int value;
            try {
                // Integer.parseInt, like ZooKeeper, so that its odd cases ("+f", "-1") agree too.
                value = Integer.parseInt(segment, 16);
            } catch (NumberFormatException e) {
                return false;
            }
            bytes[i++] = (byte) (value >> 8);
            bytes[i++] = (byte) value;
        }
        return true;
    }

    /** Clears every bit after the first {@code bits}. */
    private static void mask(byte[] bytes, int bits) {
        int start = bits / 8;
        int keep = ~((1 << (8 - bits % 8)) - 1);
        for (int i = start; i < bytes.length; i++) {
            bytes[i] &= (byte) keep;
            keep = 0;
        }
    }
}
