package dev.meerkat.recipes;

import dev.meerkat.client.MeerkatClient;
import dev.meerkat.client.MeerkatException;
import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.CreateMode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * What every recipe needs from the client: blocking waits that surface ZooKeeper errors as
 * {@link MeerkatException}, parent paths, sequence numbers, and creates of sequential nodes that
 * survive a lost reply ("protected" names, as Curator calls them).
 */
final class Nodes {
    /** The marker that starts every protected name: {@code _c_<uuid>-<prefix><sequence>}. */
    static final String PROTECTED_PREFIX = "_c_";
    private static final int SEQUENCE_DIGITS = 10;

    private Nodes() {
    }

    /**
     * Waits for a client future. No timeout is needed: the client fails a request with
     * ConnectionLoss when its connection drops, and one that waits for a reconnect with
     * SessionExpired at most one session timeout later.
     */
    static <T> T get(CompletableFuture<T> future) throws MeerkatException, InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof MeerkatException m) {
                throw m;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    static boolean isConnectionLoss(MeerkatException e) {
        return e.code() == Code.CONNECTIONLOSS || e.code() == Code.OPERATIONTIMEOUT;
    }

    /** Creates {@code path} and every missing ancestor as empty persistent nodes. */
    static void ensurePath(MeerkatClient client, String path) throws MeerkatException, InterruptedException {
        if (path.equals("/")) {
            return;
        }
        try {
            if (get(client.exists(path)).isPresent()) {
                return;
            }
        } catch (MeerkatException e) {
            if (!isConnectionLoss(e)) {
                throw e;
            }
        }
        int i = 0;
        while (i >= 0) {
            i = path.indexOf('/', i + 1);
            String prefix = i < 0 ? path : path.substring(0, i);
            for (;;) {
                try {
                    get(client.create(prefix, null, CreateMode.PERSISTENT));
                    break;
                } catch (MeerkatException.NodeExists e) {
                    break;
                } catch (MeerkatException e) {
                    if (!isConnectionLoss(e)) {
                        throw e;
                    }
                    // a repeat of a create with a fixed name is safe: NodeExists means it is there
                }
            }
        }
    }

    static String parent(String path) {
        int i = path.lastIndexOf('/');
        return i <= 0 ? "/" : path.substring(0, i);
    }

    static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    static String join(String dir, String name) {
        return dir.equals("/") ? "/" + name : dir + "/" + name;
    }

    /** Whether a child name ends in a sequence number, as the nodes of the queueing recipes do. */
    static boolean isSequential(String name) {
        if (name.length() < SEQUENCE_DIGITS) {
            return false;
        }
        for (int i = name.length() - SEQUENCE_DIGITS; i < name.length(); i++) {
            char c = name.charAt(i);
            if ((c < '0' || c > '9') && !(c == '-' && i == name.length() - SEQUENCE_DIGITS)) {
                return false;
            }
        }
        return true;
    }

    /** The sequence number the server appended; it orders siblings whatever their prefixes. */
    static long sequence(String name) {
        return Long.parseLong(name.substring(name.length() - SEQUENCE_DIGITS));
    }

    static final Comparator<String> BY_SEQUENCE = Comparator.comparingLong(Nodes::sequence);

    /** The sequential children of {@code dir}, oldest first. */
    static List<String> sortedSequential(List<String> children) {
        List<String> out = new ArrayList<>(children.size());
        for (String c : children) {
            if (isSequential(c)) {
                out.add(c);
            }
        }
        out.sort(BY_SEQUENCE);
        return out;
    }

    /**
     * Creates a sequential node {@code dir/_c_<uuid>-<prefix><sequence>}, making {@code dir} if it
     * is missing. When the reply is lost to a connection drop the create may or may not have
     * happened; instead of creating again (which could leave an orphan that blocks everybody behind
     * it) the children of {@code dir} are searched for this attempt's uuid after the reconnect.
     *
     * @return the full path created
     */
    static String createProtected(MeerkatClient client, String dir, String prefix, byte[] data, CreateMode mode)
            throws MeerkatException, InterruptedException {
        String marker = PROTECTED_PREFIX + UUID.randomUUID() + "-";
        String path = join(dir, marker + prefix);
        boolean maybeCreated = false;
        for (;;) {
            if (maybeCreated) {
                String found = findMarked(client, dir, marker);
                if (found != null) {
                    return join(dir, found);
                }
            }
            try {
                return get(client.create(path, data, mode)).path();
            } catch (MeerkatException.NoNode e) {
                ensurePath(client, dir);
            } catch (MeerkatException e) {
                if (!isConnectionLoss(e)) {
                    throw e;
                }
                maybeCreated = true;
            }
        }
    }

    /** The child of {@code dir} whose name starts with {@code marker}, or null; retried across reconnects. */
    private static String findMarked(MeerkatClient client, String dir, String marker)
            throws MeerkatException, InterruptedException {
        for (;;) {
            try {
                for (String child : get(client.getChildren(dir))) {
                    if (child.startsWith(marker)) {
                        return child;
                    }
                }
                return null;
            } catch (MeerkatException.NoNode e) {
                return null;
            } catch (MeerkatException e) {
                if (!isConnectionLoss(e)) {
                    throw e;
                }
            }
        }
    }

    /**
     * Deletes without waiting, repeating after a ConnectionLoss (a repeat finding NoNode is the
     * desired state). Used where the caller cannot wait: an interrupted or timed-out attempt.
     */
    static void deleteInBackground(MeerkatClient client, String path) {
        deleteInBackground(client, path, 5);
    }

    private static void deleteInBackground(MeerkatClient client, String path, int attemptsLeft) {
        client.delete(path).whenComplete((ok, failure) -> {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException c ? c.getCause() : failure;
            if (cause instanceof MeerkatException m && isConnectionLoss(m) && attemptsLeft > 1) {
                deleteInBackground(client, path, attemptsLeft - 1);
            }
        });
    }

    /** Deletes and waits, repeating after ConnectionLoss; NoNode counts as done. */
    static void deleteIfExists(MeerkatClient client, String path) throws MeerkatException, InterruptedException {
        for (;;) {
            try {
                get(client.delete(path));
                return;
            } catch (MeerkatException.NoNode e) {
                return;
            } catch (MeerkatException e) {
                if (!isConnectionLoss(e)) {
                    throw e;
                }
            }
        }
    }
}
