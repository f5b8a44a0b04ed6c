package dev.meerkat.client;

import dev.meerkat.protocol.jute.Jute;
import io.netty.channel.EventLoopGroup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settings of a {@link MeerkatClient}. Immutable; {@link #builder()} makes one, {@link #defaults()}
 * is the everyday choice.
 */
public final class ClientOptions {
    private final Duration sessionTimeout;
    private final Duration connectionTimeout;
    private final int maxOutstandingRequests;
    private final Duration slotWaitTimeout;
    private final Duration reconnectDelayMax;
    private final int maxFrameBytes;
    private final EventLoopGroup eventLoopGroup;
    private final List<ConnectionStateListener> listeners;
    private final long sessionId;
    private final byte[] sessionPassword;

    private ClientOptions(Builder b) {
        this.sessionTimeout = b.sessionTimeout;
        this.connectionTimeout = b.connectionTimeout;
        this.maxOutstandingRequests = b.maxOutstandingRequests;
        this.slotWaitTimeout = b.slotWaitTimeout;
        this.reconnectDelayMax = b.reconnectDelayMax;
        this.maxFrameBytes = b.maxFrameBytes;
        this.eventLoopGroup = b.eventLoopGroup;
        this.listeners = List.copyOf(b.listeners);
        this.sessionId = b.sessionId;
        this.sessionPassword = b.sessionPassword == null ? null : b.sessionPassword.clone();
    }

    public static ClientOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The session timeout asked of the server; the server clamps it and the client uses its answer. */
    public Duration sessionTimeout() {
        return sessionTimeout;
    }

    /** How long {@link MeerkatClient#connect} tries to get its first session before failing. */
    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    /** Requests sent or waiting to be sent at once; a caller beyond it waits for a free slot. */
    public int maxOutstandingRequests() {
        return maxOutstandingRequests;
    }

    /** How long a caller waits for a free request slot before its future fails with OperationTimeout. */
    public Duration slotWaitTimeout() {
        return slotWaitTimeout;
    }

    /** The upper bound of the random delay before each reconnection attempt. */
    public Duration reconnectDelayMax() {
        return reconnectDelayMax;
    }

    /** The largest reply frame accepted; a bigger one drops the connection, as in ZooKeeper's client. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** A shared event loop group to run on, or null for a one-thread group owned by the client. */
    public EventLoopGroup eventLoopGroup() {
        return eventLoopGroup;
    }

    public List<ConnectionStateListener> listeners() {
        return listeners;
    }

    /** The session to re-attach to, or 0 for a new session. */
    public long sessionId() {
        return sessionId;
    }

    /** The password of {@link #sessionId()}, or null with a new session. */
    public byte[] sessionPassword() {
        return sessionPassword == null ? null : sessionPassword.clone();
    }

    public static final class Builder {
        private Duration sessionTimeout = Duration.ofSeconds(30);
        private Duration connectionTimeout = Duration.ofSeconds(15);
        private int maxOutstandingRequests = 1000;
        private Duration slotWaitTimeout = Duration.ofSeconds(10);
        private Duration reconnectDelayMax = Duration.ofSeconds(1);
        private int maxFrameBytes = Jute.DEFAULT_MAX_BUFFER;
        private EventLoopGroup eventLoopGroup;
        private final List<ConnectionStateListener> listeners = new ArrayList<>();
        private long sessionId;
        private byte[] sessionPassword;

        private Builder() {
        }

        public Builder sessionTimeout(Duration timeout) {
            this.sessionTimeout = positive(timeout, "sessionTimeout");
            if (timeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("sessionTimeout too long: " + timeout);
            }
            return this;
        }

        public Builder connectionTimeout(Duration timeout) {
            this.connectionTimeout = positive(timeout, "connectionTimeout");
            return this;
        }

        public Builder maxOutstandingRequests(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxOutstandingRequests must be at least 1: " + max);
            }
            this.maxOutstandingRequests = max;
            return this;
        }

        public Builder slotWaitTimeout(Duration timeout) {
            this.slotWaitTimeout = Objects.requireNonNull(timeout, "slotWaitTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("slotWaitTimeout must not be negative: " + timeout);
            }
            return this;
        }

        /**
         * ZooKeeper waits a random 0 to 1000 ms before every reconnection attempt, so that clients
         * of a failed server do not all arrive at the next one at once; keep that in production.
         * Zero makes attempts immediate (tests).
         */
        public Builder reconnectDelayMax(Duration max) {
            this.reconnectDelayMax = Objects.requireNonNull(max, "reconnectDelayMax");
            if (max.isNegative()) {
                throw new IllegalArgumentException("reconnectDelayMax must not be negative: " + max);
            }
            return this;
        }

        public Builder maxFrameBytes(int max) {
            if (max < 1024) {
                throw new IllegalArgumentException("maxFrameBytes must be at least 1024: " + max);
            }
            this.maxFrameBytes = max;
            return this;
        }

        /**
         * Runs the client's connection on {@code group.next()} instead of a thread of its own; for
         * processes with many clients. The client never shuts the group down.
         */
        public Builder eventLoopGroup(EventLoopGroup group) {
            this.eventLoopGroup = Objects.requireNonNull(group, "eventLoopGroup");
            return this;
        }

        /** A listener present from the start, so it also hears the first CONNECTED. */
        public Builder connectionStateListener(ConnectionStateListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Re-attaches to an existing session (from {@link MeerkatClient#sessionId()} and {@link
         * MeerkatClient#sessionPassword()} of another client) instead of creating one. If the
         * session is gone or the password is wrong, connecting fails with SessionExpired.
         *
         * <p>A session has one connection at a time: the server closes the other client's
         * connection, and if both keep reconnecting they take the session from each other in
         * turn. Re-attach when the other client is gone (a restarted process), not beside it.
         */
        public Builder session(long sessionId, byte[] password) {
            if (sessionId == 0) {
                throw new IllegalArgumentException("session id 0 means a new session");
            }
            this.sessionId = sessionId;
            this.sessionPassword = Objects.requireNonNull(password, "password").clone();
            return this;
        }

        public ClientOptions build() {
            return new ClientOptions(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }
    }
}
