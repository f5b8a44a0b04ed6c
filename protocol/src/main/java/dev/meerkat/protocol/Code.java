package dev.meerkat.protocol;

/**
 * Reply error codes with ZooKeeper's numbers (KeeperException.Code, 3.9.5). The official client
 * throws on a value it does not know, so the server must only ever send these.
 */
public enum Code {
    OK(0, "ok"),
    SYSTEMERROR(-1, "SystemError"),
    RUNTIMEINCONSISTENCY(-2, "RuntimeInconsistency"),
    DATAINCONSISTENCY(-3, "DataInconsistency"),
    CONNECTIONLOSS(-4, "ConnectionLoss"),
    MARSHALLINGERROR(-5, "MarshallingError"),
    UNIMPLEMENTED(-6, "Unimplemented"),
    OPERATIONTIMEOUT(-7, "OperationTimeout"),
    BADARGUMENTS(-8, "BadArguments"),
    UNKNOWNSESSION(-12, "Unknown session"),
    NEWCONFIGNOQUORUM(-13, "New config no quorum"),
    RECONFIGINPROGRESS(-14, "Reconfig in progress"),
    APIERROR(-100, "APIError"),
    NONODE(-101, "NoNode"),
    NOAUTH(-102, "NoAuth"),
    BADVERSION(-103, "BadVersion"),
    NOCHILDRENFOREPHEMERALS(-108, "NoChildrenForEphemerals"),
    NODEEXISTS(-110, "NodeExists"),
    NOTEMPTY(-111, "Directory not empty"),
    SESSIONEXPIRED(-112, "Session expired"),
    INVALIDCALLBACK(-113, "Invalid callback"),
    INVALIDACL(-114, "InvalidACL"),
    AUTHFAILED(-115, "AuthFailed"),
    SESSIONMOVED(-118, "Session moved"),
    NOTREADONLY(-119, "Not a read-only call"),
    EPHEMERALONLOCALSESSION(-120, "Ephemeral node on local session"),
    NOWATCHER(-121, "No such watcher"),
    REQUESTTIMEOUT(-122, "Request timeout"),
    RECONFIGDISABLED(-123, "Reconfig is disabled"),
    SESSIONCLOSEDREQUIRESASLAUTH(-124, "Session closed because client failed to authenticate"),
    QUOTAEXCEEDED(-125, "Quota has exceeded"),
    THROTTLEDOP(-127, "Op throttled due to high load");

    private final int value;
    private final String message;

    Code(int value, String message) {
        this.value = value;
        this.message = message;
    }

    public int intValue() {
        return value;
    }

    /** ZooKeeper's words for the code, as KeeperException prints them. */
    public String message() {
        return message;
    }

    public static Code of(int value) {
        for (Code c : values()) {
            if (c.value == value) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown error code " + value);
    }
}
