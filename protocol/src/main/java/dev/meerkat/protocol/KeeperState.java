package dev.meerkat.protocol;

/** Connection states carried in watch events (Watcher.Event.KeeperState). */
public final class KeeperState {
    public static final int DISCONNECTED = 0;
    public static final int SYNC_CONNECTED = 3;
    public static final int AUTH_FAILED = 4;
    public static final int CONNECTED_READ_ONLY = 5;
    public static final int SASL_AUTHENTICATED = 6;
    public static final int CLOSED = 7;
    public static final int EXPIRED = -112;

    private KeeperState() {
    }

    public static String name(int state) {
        return switch (state) {
            case DISCONNECTED -> "Disconnected";
            case SYNC_CONNECTED -> "SyncConnected";
            case AUTH_FAILED -> "AuthFailed";
            case CONNECTED_READ_ONLY -> "ConnectedReadOnly";
            case SASL_AUTHENTICATED -> "SaslAuthenticated";
            case CLOSED -> "Closed";
            case EXPIRED -> "Expired";
            default -> throw new IllegalArgumentException("unknown keeper state " + state);
        };
    }
}
