package dev.meerkat.protocol.record;

import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.JuteOutput;
import dev.meerkat.protocol.jute.Record;

import java.util.ArrayList;
import java.util.List;

/**
 * The reply body of multi (14) and multiRead (22): each result is a MultiHeader{type, false,
 * type == -1 ? err : 0} followed by the result's body, and a MultiHeader{-1, true, -1} ends the list.
 */
public record MultiResponse(List<MultiResponse.Result> results) implements Record {
    private static final MultiHeader TERMINATOR = new MultiHeader(OpCode.ERROR, true, -1);

    /**
     * One op's outcome. {@code type} is the result type (create2, createTTL and createContainer all
     * report 15; a failed op reports -1 with its code in {@code err}). The constructor rejects
     * combinations the wire cannot carry, so every Result encodes and decodes back to itself.
     */
    public record Result(int type, int err, Record body) {
        public Result {
            Class<? extends Record> expected = bodyClass(type);
            if (expected == null && !isBodyless(type)) {
                throw new IllegalArgumentException("result type " + type + " cannot appear in a multi");
            }
            if (expected == null ? body != null : !expected.isInstance(body)) {
                throw new IllegalArgumentException("result type " + type + " needs "
                        + (expected == null ? "no body" : "a " + expected.getSimpleName()) + ", got "
                        + (body == null ? "null" : body.getClass().getSimpleName()));
            }
            // only type -1 carries a code on the wire, and there header and body must agree
            int wireErr = type == OpCode.ERROR ? ((ErrorResponse) body).err() : 0;
            if (err != wireErr) {
                throw new IllegalArgumentException("result type " + type + " cannot carry err " + err
                        + " (the wire would say " + wireErr + ")");
            }
        }

        /** A failed op, or one that was not run because another op failed. */
        public static Result error(int code) {
            return new Result(OpCode.ERROR, code, new ErrorResponse(code));
        }

        /**
         * A successful op; body is null for delete, deleteContainer and check. Report deleteContainer
         * as type 2 (delete), as ZooKeeper does: type 20 decodes here, but the Java client rejects it.
         */
        public static Result ok(int type, Record body) {
            return new Result(type, 0, body);
        }
    }

    private static boolean isBodyless(int type) {
        return type == OpCode.DELETE || type == OpCode.CHECK || type == OpCode.DELETE_CONTAINER;
    }

    private static Class<? extends Record> bodyClass(int type) {
        return switch (type) {
            case OpCode.CREATE -> CreateResponse.class;
            case OpCode.CREATE2 -> Create2Response.class;
            case OpCode.SET_DATA -> SetDataResponse.class;
            case OpCode.GET_DATA -> GetDataResponse.class;
            case OpCode.GET_CHILDREN -> GetChildrenResponse.class;
            case OpCode.ERROR -> ErrorResponse.class;
            default -> null;
        };
    }

    private static Result readResult(int type, JuteInput in) throws JuteException {
        return switch (type) {
            case OpCode.CREATE -> Result.ok(type, CreateResponse.read(in));
            case OpCode.CREATE2 -> Result.ok(type, Create2Response.read(in));
            case OpCode.SET_DATA -> Result.ok(type, SetDataResponse.read(in));
            case OpCode.GET_DATA -> Result.ok(type, GetDataResponse.read(in));
            case OpCode.GET_CHILDREN -> Result.ok(type, GetChildrenResponse.read(in));
            case OpCode.DELETE, OpCode.CHECK, OpCode.DELETE_CONTAINER -> Result.ok(type, null);
            // like the Java client, trust the body's code rather than the header's
            case OpCode.ERROR -> Result.error(ErrorResponse.read(in).err());
            default -> throw new JuteException("invalid result type " + type + " in multi response");
        };
    }

    /**
     * Reads results up to the header marked done. Every result consumes at least its 9-byte
     * header, so input without a terminator runs out of bytes and fails instead of looping.
     */
    public static MultiResponse read(JuteInput in) throws JuteException {
        List<Result> results = new ArrayList<>();
        MultiHeader h = MultiHeader.read(in);
        while (!h.done()) {
            results.add(readResult(h.type(), in));
            h = MultiHeader.read(in);
        }
        return new MultiResponse(results);
    }

    @Override
    public void write(JuteOutput out) {
        for (Result r : results) {
            new MultiHeader(r.type(), false, r.type() == OpCode.ERROR ? r.err() : 0).write(out);
            if (r.body() != null) {
                r.body().write(out);
            }
        }
        TERMINATOR.write(out);
    }
}
