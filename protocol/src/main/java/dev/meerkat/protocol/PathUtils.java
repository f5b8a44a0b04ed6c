package dev.meerkat.protocol;

/**
 * Znode path rules, behaving exactly like ZooKeeper's org.apache.zookeeper.common.PathUtils
 * (same checks, same order, same messages), so a client sees the same BADARGUMENTS decisions.
 */
public final class PathUtils {
    private PathUtils() {
    }

    /**
     * Validates a path that is about to be created. A sequential create may end in '/', because
     * the server appends the sequence number before the path is stored.
     */
    public static void validatePath(String path, boolean isSequential) throws IllegalArgumentException {
        validatePath(isSequential ? path + "1" : path);
    }

    public static void validatePath(String path) throws IllegalArgumentException {
        if (path == null) {
            throw new IllegalArgumentException("Path cannot be null");
        }
        if (path.isEmpty()) {
            throw new IllegalArgumentException("Path length must be > 0");
        }
        if (path.charAt(0) != '/') {
            throw new IllegalArgumentException("Path must start with / character");
        }
        if (path.length() == 1) {
            return;
        }
        if (path.charAt(path.length() - 1) == '/') {
            throw new IllegalArgumentException("Path must not end with / character");
        }
        for (int i = 1; i < path.length(); i++) {
            String reason = problemAt(path, i);
            if (reason != null) {
                throw new IllegalArgumentException(
                        "Invalid path string \"" + path + "\" caused by " + reason + " @" + i);
            }
        }
    }

    private static String problemAt(String path, int i) {
        char c = path.charAt(i);
        char prev = path.charAt(i - 1);
        if (c == 0) {
            return "null character not allowed";
        }
        if (c == '/') {
            return prev == '/' ? "empty node name specified" : null;
        }
        if (c == '.') {
            // reported at the last dot of a "." or ".." segment, as ZooKeeper does
            boolean segmentEnds = i + 1 == path.length() || path.charAt(i + 1) == '/';
            boolean dotSegment = prev == '/' || (prev == '.' && path.charAt(i - 2) == '/');
            return segmentEnds && dotSegment ? "relative paths not allowed" : null;
        }
        if (c <= '\u001f' || c >= '\u007f' && c <= '\u009f' || c >= '\ud800' && c <= '\uf8ff'
                || c >= '\ufff0') {
            return "invalid character";
        }
        return null;
    }

    /** The parent of a non-root path: "/a/b" gives "/a" and "/a" gives "/". */
    public static String parentOf(String path) {
        int slash = lastSlash(path);
        if (path.length() == 1) {
            throw new IllegalArgumentException("the root has no parent");
        }
        return slash == 0 ? "/" : path.substring(0, slash);
    }

    /** The node name of a path: "/a/b" gives "b"; the root's name is the empty string. */
    public static String lastSegment(String path) {
        return path.substring(lastSlash(path) + 1);
    }

    /** The path of child {@code child} under {@code parent}, without a doubled slash under the root. */
    public static String join(String parent, String child) {
        return parent.endsWith("/") ? parent + child : parent + "/" + child;
    }

    private static int lastSlash(String path) {
        int slash = path.lastIndexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not an absolute path: \"" + path + "\"");
        }
        return slash;
    }
}
