package dev.meerkat.server.request;

import dev.meerkat.protocol.jute.Record;
import dev.meerkat.protocol.record.ConnectRequest;
import dev.meerkat.protocol.record.RequestHeader;
import dev.meerkat.server.net.ClientConnection;

/**
 * One decoded frame of a client connection, on its way to the request processor. Decoding
 * problems travel as data so that the error reply keeps its place in the connection's order.
 */
public record Request(Kind kind, ClientConnection cnxn, RequestHeader header, Record body,
                      ConnectRequest connect, String error, long receivedNanos) {

    public enum Kind { CONNECT, NORMAL, UNKNOWN_OP, MALFORMED }

    public static Request connect(ClientConnection cnxn, ConnectRequest req) {
        return new Request(Kind.CONNECT, cnxn, null, null, req, null, System.nanoTime());
    }

    public static Request of(ClientConnection cnxn, RequestHeader header, Record body) {
        return new Request(Kind.NORMAL, cnxn, header, body, null, null, System.nanoTime());
    }

    public static Request unknown(ClientConnection cnxn, RequestHeader header) {
        return new Request(Kind.UNKNOWN_OP, cnxn, header, null, null, "unknown op code " + header.type(),
                System.nanoTime());
    }

    public static Request malformed(ClientConnection cnxn, RequestHeader header, String error) {
        return new Request(Kind.MALFORMED, cnxn, header, null, null, error, System.nanoTime());
    }
}
