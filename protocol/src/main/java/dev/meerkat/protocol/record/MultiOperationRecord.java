package dev.meerkat.protocol.record;

import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

import java.util.ArrayList;
import java.util.List;

/**
 * The body of multi (14) and multiRead (22): each op is a MultiHeader{type, false, -1} followed by
 * the op's request record, and a MultiHeader{-1, true, -1} ends the list. deleteContainer (20) is
 * accepted as an op even though ZooKeeper 3.9.5's own decoder refuses it.
 */
public record MultiOperationRecord(List<MultiOperationRecord.Op> ops) implements Record {
    // ZooKeeper's client puts -1 in the err field of request headers; nothing reads it
    private static final int REQUEST_ERR = -1;
    private static final MultiHeader TERMINATOR = new MultiHeader(OpCode.ERROR, true, REQUEST_ERR);

    /**
     * One operation of a multi. The constructor rejects a request record that does not match the
     * type, because such an op would encode into bytes that decode as something else.
     */
    public record Op(int type, Record request) {
        public Op {
            Class<? extends Record> expected = requestClass(type);
            if (expected == null) {
                throw new IllegalArgumentException("op type " + type + " cannot appear in a multi");
            }
            if (!expected.isInstance(request)) {
                throw new IllegalArgumentException("op type " + type + " needs a "
                        + expected.getSimpleName() + ", not "
                        + (request == null ? "null" : request.getClass().getSimpleName()));
            }
        }
    }

    /** The request record that goes with a multi op type, or null if the type is not allowed. */
    private static Class<? extends Record> requestClass(int type) {
        return switch (type) {
            case OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER -> CreateRequest.class;
            case OpCode.CREATE_TTL -> CreateTTLRequest.class;
            case OpCode.DELETE -> DeleteRequest.class;
            case OpCode.DELETE_CONTAINER -> DeleteContainerRequest.class;
            case OpCode.SET_DATA -> SetDataRequest.class;
            case OpCode.CHECK -> CheckVersionRequest.class;
            case OpCode.GET_DATA -> GetDataRequest.class;
            case OpCode.GET_CHILDREN -> GetChildrenRequest.class;
            default -> null;
        };
    }

    private static Record readRequest(int type, JuteInput in) throws JuteException {
        return switch (type) {
            case OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER -> CreateRequest.read(in);
            case OpCode.CREATE_TTL -> CreateTTLRequest.read(in);
            case OpCode.DELETE -> DeleteRequest.read(in);
            case OpCode.DELETE_CONTAINER -> DeleteContainerRequest.read(in);
            case OpCode.SET_DATA -> SetDataRequest.read(in);
            case OpCode.CHECK -> CheckVersionRequest.read(in);
            case OpCode.GET_DATA -> GetDataRequest.read(in);
            case OpCode.GET_CHILDREN -> GetChildrenRequest.read(in);
            default -> throw new JuteException("invalid op type " + type + " in multi");
        };
    }

    /**
     * Reads ops up to the header marked done. Every op consumes at least its 9-byte header, so
     * input without a terminator runs out of bytes and fails instead of looping.
     */
    public static MultiOperationRecord read(JuteInput in) throws JuteException {
        List<Op> ops = new ArrayList<>();
        MultiHeader h = MultiHeader.read(in);
        while (!h.done()) {
            ops.add(new Op(h.type(), readRequest(h.type(), in)));
            h = MultiHeader.read(in);
        }
        return new MultiOperationRecord(ops);
    }

    @Override
    public void write(JuteOutput out) {
        for (Op op : ops) {
            new MultiHeader(op.type(), false, REQUEST_ERR).write(out);
            op.request().write(out);
        }
        TERMINATOR.write(out);
    }
}
