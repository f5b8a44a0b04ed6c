package dev.meerkat.protocol;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.Record;
import dev.meerkat.protocol.record.AddWatchRequest;
import dev.meerkat.protocol.record.AuthPacket;
import dev.meerkat.protocol.record.CheckVersionRequest;
import dev.meerkat.protocol.record.CheckWatchesRequest;
import dev.meerkat.protocol.record.CreateRequest;
import dev.meerkat.protocol.record.CreateTTLRequest;
import dev.meerkat.protocol.record.DeleteContainerRequest;
import dev.meerkat.protocol.record.DeleteRequest;
import dev.meerkat.protocol.record.ExistsRequest;
import dev.meerkat.protocol.record.GetACLRequest;
import dev.meerkat.protocol.record.GetAllChildrenNumberRequest;
import dev.meerkat.protocol.record.GetChildren2Request;
import dev.meerkat.protocol.record.GetChildrenRequest;
import dev.meerkat.protocol.record.GetDataRequest;
import dev.meerkat.protocol.record.GetEphemeralsRequest;
import dev.meerkat.protocol.record.GetSASLRequest;
import dev.meerkat.protocol.record.MultiOperationRecord;
import dev.meerkat.protocol.record.ReconfigRequest;
import dev.meerkat.protocol.record.RemoveWatchesRequest;
import dev.meerkat.protocol.record.SetACLRequest;
import dev.meerkat.protocol.record.SetDataRequest;
import dev.meerkat.protocol.record.SetWatches;
import dev.meerkat.protocol.record.SetWatches2;
import dev.meerkat.protocol.record.SyncRequest;

/** Decoding of the request record that follows a RequestHeader, chosen by the header's op code. */
public final class Requests {
    private Requests() {
    }

    /**
     * Decodes the request body of a client op. Returns null for ping, whoAmI and closeSession,
     * which carry no body. check (13) decodes even though the server rejects it outside a multi:
     * that is a semantic decision, not a decoding one.
     *
     * @throws IllegalArgumentException if the op code is not one a client may send
     * @throws JuteException if the body is truncated or malformed
     */
    public static Record readBody(int opCode, JuteInput in) throws JuteException {
        return switch (opCode) {
            case OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER -> CreateRequest.read(in);
            case OpCode.CREATE_TTL -> CreateTTLRequest.read(in);
            case OpCode.DELETE -> DeleteRequest.read(in);
            case OpCode.DELETE_CONTAINER -> DeleteContainerRequest.read(in);
            case OpCode.EXISTS -> ExistsRequest.read(in);
            case OpCode.GET_DATA -> GetDataRequest.read(in);
            case OpCode.SET_DATA -> SetDataRequest.read(in);
            case OpCode.GET_ACL -> GetACLRequest.read(in);
            case OpCode.SET_ACL -> SetACLRequest.read(in);
            case OpCode.GET_CHILDREN -> GetChildrenRequest.read(in);
            case OpCode.SYNC -> SyncRequest.read(in);
            case OpCode.GET_CHILDREN2 -> GetChildren2Request.read(in);
            case OpCode.CHECK -> CheckVersionRequest.read(in);
            case OpCode.MULTI, OpCode.MULTI_READ -> MultiOperationRecord.read(in);
            case OpCode.RECONFIG -> ReconfigRequest.read(in);
            case OpCode.CHECK_WATCHES -> CheckWatchesRequest.read(in);
            case OpCode.REMOVE_WATCHES -> RemoveWatchesRequest.read(in);
            case OpCode.AUTH -> AuthPacket.read(in);
            case OpCode.SET_WATCHES -> SetWatches.read(in);
            case OpCode.SASL -> GetSASLRequest.read(in);
            case OpCode.GET_EPHEMERALS -> GetEphemeralsRequest.read(in);
            case OpCode.GET_ALL_CHILDREN_NUMBER -> GetAllChildrenNumberRequest.read(in);
            case OpCode.SET_WATCHES2 -> SetWatches2.read(in);
            case OpCode.ADD_WATCH -> AddWatchRequest.read(in);
            case OpCode.PING, OpCode.WHO_AM_I, OpCode.CLOSE_SESSION -> null;
            default -> throw new IllegalArgumentException("unknown op code " + opCode);
        };
    }

    /** Whether {@link #readBody} accepts the op code, i.e. whether a client may send it. */
    public static boolean isKnown(int opCode) {
        return switch (opCode) {
            case OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER, OpCode.CREATE_TTL,
                 OpCode.DELETE, OpCode.DELETE_CONTAINER, OpCode.EXISTS, OpCode.GET_DATA,
                 OpCode.SET_DATA, OpCode.GET_ACL, OpCode.SET_ACL, OpCode.GET_CHILDREN, OpCode.SYNC,
                 OpCode.GET_CHILDREN2, OpCode.CHECK, OpCode.MULTI, OpCode.MULTI_READ,
                 OpCode.RECONFIG, OpCode.CHECK_WATCHES, OpCode.REMOVE_WATCHES, OpCode.AUTH,
                 OpCode.SET_WATCHES, OpCode.SASL, OpCode.GET_EPHEMERALS,
                 OpCode.GET_ALL_CHILDREN_NUMBER, OpCode.SET_WATCHES2, OpCode.ADD_WATCH,
                 OpCode.PING, OpCode.WHO_AM_I, OpCode.CLOSE_SESSION -> true;
            default -> false;
        };
    }
}
