package dev.meerkat.protocol;

/** Request types, with ZooKeeper's numbers (org.apache.zookeeper.ZooDefs.OpCode, 3.9.5). */
public final class OpCode {
    public static final int NOTIFICATION = 0;
    public static final int CREATE = 1;
    public static final int DELETE = 2;
    public static final int EXISTS = 3;
    public static final int GET_DATA = 4;
    public static final int SET_DATA = 5;
    public static final int GET_ACL = 6;
    public static final int SET_ACL = 7;
    public static final int GET_CHILDREN = 8;
    public static final int SYNC = 9;
    public static final int PING = 11;
    public static final int GET_CHILDREN2 = 12;
    public static final int CHECK = 13;
    public static final int MULTI = 14;
    public static final int CREATE2 = 15;
    public static final int RECONFIG = 16;
    public static final int CHECK_WATCHES = 17;
    public static final int REMOVE_WATCHES = 18;
    public static final int CREATE_CONTAINER = 19;
    public static final int DELETE_CONTAINER = 20;
    public static final int CREATE_TTL = 21;
    public static final int MULTI_READ = 22;
    public static final int AUTH = 100;
    public static final int SET_WATCHES = 101;
    public static final int SASL = 102;
    public static final int GET_EPHEMERALS = 103;
    public static final int GET_ALL_CHILDREN_NUMBER = 104;
    public static final int SET_WATCHES2 = 105;
    public static final int ADD_WATCH = 106;
    public static final int WHO_AM_I = 107;
    public static final int CREATE_SESSION = -10;
    public static final int CLOSE_SESSION = -11;
    public static final int ERROR = -1;

    private OpCode() {
    }

    /**
     * The tag ZooKeeper prints as {@code lop} in {@code cons} output (FinalRequestProcessor's lastOp),
     * "NA" for ops it has no tag for.
     */
    public static String shortName(int op) {
        return switch (op) {
            case NOTIFICATION -> "NOTI";
            case CREATE -> "CREA";
            case DELETE, DELETE_CONTAINER -> "DELE";
            case EXISTS -> "EXIS";
            case GET_DATA -> "GETD";
            case SET_DATA -> "SETD";
            case GET_ACL -> "GETA";
            case SET_ACL -> "SETA";
            case GET_CHILDREN -> "GETC";
            case SYNC -> "SYNC";
            case PING -> "PING";
            case GET_CHILDREN2 -> "GETC";
            case CHECK -> "CHEC";
            case MULTI -> "MULT";
            case CREATE2, CREATE_CONTAINER, CREATE_TTL -> "CREA";
            case RECONFIG -> "RECO";
            case CHECK_WATCHES -> "CHKW";
            case REMOVE_WATCHES -> "REMW";
            case MULTI_READ -> "MLTR";
            case AUTH -> "AUTH";
            case SET_WATCHES -> "SETW";
            case SET_WATCHES2 -> "STW2";
            case SASL -> "SASL";
            case GET_EPHEMERALS -> "GETE";
            case GET_ALL_CHILDREN_NUMBER -> "GETACN";
            case ADD_WATCH -> "ADDW";
            case WHO_AM_I -> "HOMI";
            case CREATE_SESSION -> "SESS";
            case CLOSE_SESSION -> "CLOS";
            case ERROR -> "ERROR";
            default -> "NA";
        };
    }
}
