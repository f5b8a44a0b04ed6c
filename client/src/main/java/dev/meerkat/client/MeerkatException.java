package dev.meerkat.client;

import dev.meerkat.protocol.Code;

import java.util.List;

/**
 * A failed operation, with ZooKeeper's error code and the path it was about (as the caller wrote
 * it, without the chroot). Futures fail with it directly, so {@code exceptionally(e -> ...)} on the
 * returned future sees this class; {@code get()} wraps it in an ExecutionException as usual.
 *
 * <p>The common codes have their own subclasses, so blocking code can {@code catch
 * (MeerkatException.NoNode e)}; code that switches prefers {@link #code()}.
 *
 * <p>Two codes mean "the outcome is unknown": {@link ConnectionLoss} (the request may or may not
 * have been applied before the connection dropped) and {@link OperationTimeout} (the client gave
 * up waiting). Only those are worth retrying, and only for idempotent operations; see {@link Retry}.
 */
public class MeerkatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Code code;
    private final String path;
    // results are for the caller that got the exception, not for a serialized copy of it
    private final transient List<OpResult> results;

    protected MeerkatException(Code code, String path, String detail, List<OpResult> results) {
        super(message(code, path, detail));
        this.code = code;
        this.path = path;
        this.results = results == null ? List.of() : List.copyOf(results);
    }

    private static String message(Code code, String path, String detail) {
        // the same words as ZooKeeper's KeeperException, which scripts and people already know
        String m = "KeeperErrorCode = " + code.message() + (path == null ? "" : " for " + path);
        return detail == null ? m : m + ": " + detail;
    }

    public Code code() {
        return code;
    }

    /** The path of the failed operation, or null when the error is not about one node. */
    public String path() {
        return path;
    }

    /**
     * For a failed {@link Transaction}: the result of every operation (see {@link
     * OpResult.ErrorResult}); otherwise empty.
     */
    public List<OpResult> results() {
        return results == null ? List.of() : results;
    }

    /** Whether the operation may have been applied although it failed: ConnectionLoss or OperationTimeout. */
    public boolean isOutcomeUnknown() {
        return code == Code.CONNECTIONLOSS || code == Code.OPERATIONTIMEOUT;
    }

    public static MeerkatException of(Code code, String path) {
        return of(code, path, null, null);
    }

    public static MeerkatException of(Code code, String path, String detail) {
        return of(code, path, detail, null);
    }

    static MeerkatException of(Code code, String path, String detail, List<OpResult> results) {
        return switch (code) {
            case NONODE -> new NoNode(path, detail, results);
            case NODEEXISTS -> new NodeExists(path, detail, results);
            case BADVERSION -> new BadVersion(path, detail, results);
            case NOTEMPTY -> new NotEmpty(path, detail, results);
            case NOAUTH -> new NoAuth(path, detail, results);
            case NOCHILDRENFOREPHEMERALS -> new NoChildrenForEphemerals(path, detail, results);
            case INVALIDACL -> new InvalidAcl(path, detail, results);
            case BADARGUMENTS -> new BadArguments(path, detail, results);
            case NOWATCHER -> new NoWatcher(path, detail, results);
            case CONNECTIONLOSS -> new ConnectionLoss(path, detail);
            case OPERATIONTIMEOUT -> new OperationTimeout(path, detail);
            case SESSIONEXPIRED -> new SessionExpired(path, detail);
            case AUTHFAILED -> new AuthFailed(path, detail);
            case UNIMPLEMENTED -> new Unimplemented(path, detail, results);
            default -> new MeerkatException(code, path, detail, results);
        };
    }

    public static final class NoNode extends MeerkatException {
        private static final long serialVersionUID = 1L;

        NoNode(String path, String detail, List<OpResult> results) {
            super(Code.NONODE, path, detail, results);
        }
    }

    public static final class NodeExists extends MeerkatException {
        private static final long serialVersionUID = 1L;

        NodeExists(String path, String detail, List<OpResult> results) {
            super(Code.NODEEXISTS, path, detail, results);
        }
    }

    public static final class BadVersion extends MeerkatException {
        private static final long serialVersionUID = 1L;

        BadVersion(String path, String detail, List<OpResult> results) {
            super(Code.BADVERSION, path, detail, results);
        }
    }

    public static final class NotEmpty extends MeerkatException {
        private static final long serialVersionUID = 1L;

        NotEmpty(String path, String detail, List<OpResult> results) {
            super(Code.NOTEMPTY, path, detail, results);
        }
    }

    public static final class NoAuth extends MeerkatException {
        private static final long serialVersionUID = 1L;

        NoAuth(String path, String detail, List<OpResult> results) {
            super(Code.NOAUTH, path, detail, results);
        }
    }

    public static final class NoChildrenForEphemerals extends MeerkatException {
        private static final long serialVersionUID = 1L;

        NoChildrenForEphemerals(String path, String detail, List<OpResult> results) {
            super(Code.NOCHILDRENFOREPHEMERALS, path, detail, results);
        }
    }

    public static final class InvalidAcl extends MeerkatException {
        private static final long serialVersionUID = 1L;

        InvalidAcl(String path, String detail, List<OpResult> results) {
            super(Code.INVALIDACL, path, detail, results);
        }
    }

    public static final class BadArguments extends MeerkatException {
        private static final long serialVersionUID = 1L;

        BadArguments(String path, String detail, List<OpResult> results) {
            super(Code.BADARGUMENTS, path, detail, results);
        }
    }

    public static final class NoWatcher extends MeerkatException {
        private static final long serialVersionUID = 1L;

        NoWatcher(String path, String detail, List<OpResult> results) {
            super(Code.NOWATCHER, path, detail, results);
        }
    }

    public static final class Unimplemented extends MeerkatException {
        private static final long serialVersionUID = 1L;

        Unimplemented(String path, String detail, List<OpResult> results) {
            super(Code.UNIMPLEMENTED, path, detail, results);
        }
    }

    /**
     * The connection dropped while the request was in flight (it may or may not have been applied),
     * or the request could not be sent.
     */
    public static final class ConnectionLoss extends MeerkatException {
        private static final long serialVersionUID = 1L;

        ConnectionLoss(String path, String detail) {
            super(Code.CONNECTIONLOSS, path, detail, null);
        }
    }

    /**
     * The client stopped waiting: for a free request slot, or (blocking facade) for the reply. A
     * request whose reply was awaited may still be applied.
     */
    public static final class OperationTimeout extends MeerkatException {
        private static final long serialVersionUID = 1L;

        OperationTimeout(String path, String detail) {
            super(Code.OPERATIONTIMEOUT, path, detail, null);
        }
    }

    /**
     * The session is gone (expired, or the client was closed); the request was not applied. The
     * client is dead; a new one gets a new session.
     */
    public static final class SessionExpired extends MeerkatException {
        private static final long serialVersionUID = 1L;

        SessionExpired(String path, String detail) {
            super(Code.SESSIONEXPIRED, path, detail, null);
        }
    }

    /** The server refused credentials given to addAuthInfo (an unknown scheme, or bad credentials). */
    public static final class AuthFailed extends MeerkatException {
        private static final long serialVersionUID = 1L;

        AuthFailed(String path, String detail) {
            super(Code.AUTHFAILED, path, detail, null);
        }
    }
}
