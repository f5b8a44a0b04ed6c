package dev.meerkat.protocol;

/** Modes of addWatch (org.apache.zookeeper.AddWatchMode). */
public final class AddWatchMode {
    public static final int PERSISTENT = 0;
    public static final int PERSISTENT_RECURSIVE = 1;

    private AddWatchMode() {
    }
}
