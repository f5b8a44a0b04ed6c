package dev.meerkat.client;

/**
 * The client-side chroot: the server only ever sees and sends full paths, so every path going out
 * gets the prefix and every path coming back (results, events, multi results) loses it.
 */
final class Chroot {
    private final String prefix;

    /** @param prefix a validated path other than "/", or the empty string for none */
    Chroot(String prefix) {
        this.prefix = prefix;
    }

    String toServer(String clientPath) {
        if (prefix.isEmpty()) {
            return clientPath;
        }
        return clientPath.equals("/") ? prefix : prefix + clientPath;
    }

    /**
     * The client's view of a server path. A path outside the chroot cannot come back for a request
     * we made under it; should a server send one anyway, it is passed on unchanged rather than
     * mangled.
     */
    String toClient(String serverPath) {
        if (prefix.isEmpty() || serverPath == null) {
            return serverPath;
        }
        if (serverPath.equals(prefix)) {
            return "/";
        }
        if (serverPath.startsWith(prefix) && serverPath.length() > prefix.length()
                && serverPath.charAt(prefix.length()) == '/') {
            return serverPath.substring(prefix.length());
        }
        return serverPath;
    }

    /** Whether a server path lies inside the chroot (always true without one). */
    boolean contains(String serverPath) {
        return prefix.isEmpty() || serverPath.equals(prefix) || serverPath.startsWith(prefix + "/");
    }
}
