package dev.meerkat.protocol.record;

import dev.meerkat.protocol.AddWatchMode;
import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.CreateMode;
import dev.meerkat.protocol.EventType;
import dev.meerkat.protocol.KeeperState;
import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.Perms;
import dev.meerkat.protocol.WatcherType;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.jute.Record;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Example values of every record, shared by the round-trip, truncation and ZooKeeper comparison
 * tests. Each record gets a typical value plus values whose buffers, strings and vectors are null
 * (-1 on the wire) and empty, because those are the encodings implementations most often get wrong.
 */
public final class RecordSamples {
    /** A value and the reader that should decode its encoding back. */
    public record Sample(String name, Record value, JuteInput.Reader<? extends Record> reader) {
        @Override
        public String toString() {
            return name;
        }
    }

    public static final Stat STAT = new Stat(0x100000001L, 0x100000002L, 1_700_000_000_000L,
            1_700_000_000_500L, 3, 4, 5, 0x0100007531000000L, 6, 2, 0x100000003L);
    public static final Stat EXTREME_STAT = new Stat(Long.MIN_VALUE, Long.MAX_VALUE, -1, 0,
            Integer.MIN_VALUE, Integer.MAX_VALUE, -1, Long.MIN_VALUE, 0, Integer.MAX_VALUE, -1);
    public static final List<ACL> ACLS = List.of(new ACL(Perms.ALL, Id.ANYONE),
            new ACL(Perms.READ | Perms.ADMIN, new Id("digest", "user:D/InIHSb7yEEbrWz8b9l71RjZJU=")),
            new ACL(Perms.CREATE, new Id("ip", "10.0.0.0/8")));
    public static final byte[] DATA = "hello \u00fcnicode \u0000 bytes".getBytes(StandardCharsets.UTF_8);
    public static final byte[] PASSWD = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, -1};
    public static final byte[] EMPTY = new byte[0];

    private RecordSamples() {
    }

    /** A mutable list that may hold nulls, which List.of cannot. */
    @SafeVarargs
    private static <T> List<T> listOf(T... items) {
        return new ArrayList<>(Arrays.asList(items));
    }

    public static List<Sample> all() {
        List<Sample> s = new ArrayList<>();
        add(s, "Id", Id::read, Id.ANYONE, new Id(null, null), new Id("", ""),
                new Id("digest", "\u00fc\u4e2d:x"));
        add(s, "ACL", ACL::read, ACLS.get(1), new ACL(0, new Id(null, null)), new ACL(-1, new Id("", "")));
        add(s, "Stat", Stat::read, STAT, EXTREME_STAT);

        add(s, "ConnectRequest", ConnectRequest::read,
                new ConnectRequest(0, 0, 30000, 0, new byte[16], false, true),
                new ConnectRequest(0, 0x500000007L, 40000, 0x0100007531000000L, PASSWD, true, true),
                new ConnectRequest(0, 12, 4000, 99, PASSWD, false, false),
                new ConnectRequest(0, 0, 0, 0, null, false, true),
                new ConnectRequest(0, 0, 0, 0, EMPTY, false, false),
                new ConnectRequest(-1, -1, -1, -1, null, false, false));
        add(s, "ConnectResponse", ConnectResponse::read,
                new ConnectResponse(0, 40000, 0x010000752efc0000L, PASSWD, false, true),
                new ConnectResponse(0, 40000, 0x010000752efc0000L, PASSWD, true, true),
                new ConnectResponse(0, 40000, 0x010000752efc0000L, PASSWD, false, false),
                new ConnectResponse(0, 0, 0, new byte[16], false, true),
                new ConnectResponse(0, 0, 0, null, false, false),
                new ConnectResponse(0, 0, 0, EMPTY, false, true));
        add(s, "RequestHeader", RequestHeader::read, new RequestHeader(1, OpCode.GET_DATA),
                new RequestHeader(-2, OpCode.PING), new RequestHeader(Integer.MIN_VALUE, Integer.MAX_VALUE));
        add(s, "ReplyHeader", ReplyHeader::read, new ReplyHeader(1, 0x100000005L, 0),
                new ReplyHeader(-1, -1, Code.NONODE.intValue()), new ReplyHeader(Integer.MAX_VALUE, Long.MIN_VALUE, -127));
        add(s, "WatcherEvent", WatcherEvent::read,
                new WatcherEvent(EventType.NODE_DATA_CHANGED, KeeperState.SYNC_CONNECTED, "/a"),
                new WatcherEvent(EventType.NONE, KeeperState.EXPIRED, null),
                new WatcherEvent(EventType.NODE_CREATED, KeeperState.SYNC_CONNECTED, ""));
        add(s, "ClientInfo", ClientInfo::read, new ClientInfo("ip", "127.0.0.1"), new ClientInfo(null, null),
                new ClientInfo("", ""));
        add(s, "AuthPacket", AuthPacket::read,
                new AuthPacket(0, "digest", "super:test".getBytes(StandardCharsets.UTF_8)),
                new AuthPacket(0, null, null), new AuthPacket(7, "", EMPTY));
        add(s, "CreateRequest", CreateRequest::read,
                new CreateRequest("/app/lock-", DATA, ACLS, CreateMode.EPHEMERAL_SEQUENTIAL.flag()),
                new CreateRequest(null, null, null, 0), new CreateRequest("", EMPTY, List.of(), 0),
                new CreateRequest("/\u00fcber/\u4e2d\u6587", new byte[1 << 16], ACL.OPEN_ACL_UNSAFE, 99));
        add(s, "CreateTTLRequest", CreateTTLRequest::read,
                new CreateTTLRequest("/ttl", DATA, ACLS, CreateMode.PERSISTENT_WITH_TTL.flag(), 60_000),
                new CreateTTLRequest(null, null, null, 0, -1),
                new CreateTTLRequest("", EMPTY, List.of(), 6, (1L << 40) - 1));
        add(s, "CreateResponse", CreateResponse::read, new CreateResponse("/app/lock-0000000001"),
                new CreateResponse(null), new CreateResponse(""));
        add(s, "Create2Response", Create2Response::read, new Create2Response("/a", STAT),
                new Create2Response(null, EXTREME_STAT), new Create2Response("", STAT));
        add(s, "DeleteRequest", DeleteRequest::read, new DeleteRequest("/a", -1),
                new DeleteRequest(null, 0), new DeleteRequest("", Integer.MAX_VALUE));
        add(s, "DeleteContainerRequest", DeleteContainerRequest::read, new DeleteContainerRequest("/c"),
                new DeleteContainerRequest(null), new DeleteContainerRequest(""));
        add(s, "ExistsRequest", ExistsRequest::read, new ExistsRequest("/a", true),
                new ExistsRequest(null, false), new ExistsRequest("", false));
        add(s, "ExistsResponse", ExistsResponse::read, new ExistsResponse(STAT), new ExistsResponse(EXTREME_STAT));
        add(s, "GetDataRequest", GetDataRequest::read, new GetDataRequest("/a", true),
                new GetDataRequest(null, false), new GetDataRequest("", true));
        add(s, "GetDataResponse", GetDataResponse::read, new GetDataResponse(DATA, STAT),
                new GetDataResponse(null, STAT), new GetDataResponse(EMPTY, EXTREME_STAT));
        add(s, "SetDataRequest", SetDataRequest::read, new SetDataRequest("/a", DATA, 3),
                new SetDataRequest(null, null, -1), new SetDataRequest("", EMPTY, 0));
        add(s, "SetDataResponse", SetDataResponse::read, new SetDataResponse(STAT),
                new SetDataResponse(EXTREME_STAT));
        add(s, "GetACLRequest", GetACLRequest::read, new GetACLRequest("/a"), new GetACLRequest(null),
                new GetACLRequest(""));
        add(s, "GetACLResponse", GetACLResponse::read, new GetACLResponse(ACLS, STAT),
                new GetACLResponse(null, STAT), new GetACLResponse(List.of(), EXTREME_STAT));
        add(s, "SetACLRequest", SetACLRequest::read, new SetACLRequest("/a", ACLS, 2),
                new SetACLRequest(null, null, -1), new SetACLRequest("", List.of(), 0));
        add(s, "SetACLResponse", SetACLResponse::read, new SetACLResponse(STAT), new SetACLResponse(EXTREME_STAT));
        add(s, "GetChildrenRequest", GetChildrenRequest::read, new GetChildrenRequest("/a", true),
                new GetChildrenRequest(null, false), new GetChildrenRequest("", false));
        add(s, "GetChildren2Request", GetChildren2Request::read, new GetChildren2Request("/a", false),
                new GetChildren2Request(null, true), new GetChildren2Request("", false));
        add(s, "GetChildrenResponse", GetChildrenResponse::read,
                new GetChildrenResponse(List.of("a", "b", "lock-0000000007")),
                new GetChildrenResponse(null), new GetChildrenResponse(List.of()),
                new GetChildrenResponse(listOf("x", null, "")));
        add(s, "GetChildren2Response", GetChildren2Response::read,
                new GetChildren2Response(List.of("zookeeper", "app"), STAT),
                new GetChildren2Response(null, STAT), new GetChildren2Response(List.of(), EXTREME_STAT));
        add(s, "SyncRequest", SyncRequest::read, new SyncRequest("/a"), new SyncRequest(null), new SyncRequest(""));
        add(s, "SyncResponse", SyncResponse::read, new SyncResponse("/a"), new SyncResponse(null),
                new SyncResponse(""));
        add(s, "CheckVersionRequest", CheckVersionRequest::read, new CheckVersionRequest("/a", 4),
                new CheckVersionRequest(null, -1), new CheckVersionRequest("", 0));
        add(s, "ReconfigRequest", ReconfigRequest::read,
                new ReconfigRequest("server.4=h4:2888:3888;2181", "3", null, 0x100000000L),
                new ReconfigRequest(null, null, null, -1), new ReconfigRequest("", "", "", 0));
        add(s, "CheckWatchesRequest", CheckWatchesRequest::read, new CheckWatchesRequest("/a", WatcherType.DATA),
                new CheckWatchesRequest(null, WatcherType.ANY), new CheckWatchesRequest("", 0));
        add(s, "RemoveWatchesRequest", RemoveWatchesRequest::read,
                new RemoveWatchesRequest("/a", WatcherType.PERSISTENT_RECURSIVE),
                new RemoveWatchesRequest(null, WatcherType.CHILDREN), new RemoveWatchesRequest("", -1));
        add(s, "AddWatchRequest", AddWatchRequest::read,
                new AddWatchRequest("/a", AddWatchMode.PERSISTENT_RECURSIVE),
                new AddWatchRequest(null, AddWatchMode.PERSISTENT), new AddWatchRequest("", 9));
        add(s, "ErrorResponse", ErrorResponse::read, new ErrorResponse(0),
                new ErrorResponse(Code.NONODE.intValue()), new ErrorResponse(Integer.MIN_VALUE));
        add(s, "SetWatches", SetWatches::read,
                new SetWatches(0x100000009L, List.of("/a", "/b"), List.of("/missing"), List.of("/")),
                new SetWatches(-1, null, null, null), new SetWatches(0, List.of(), List.of(), List.of()),
                new SetWatches(1, listOf((String) null), List.of(""), null));
        add(s, "SetWatches2", SetWatches2::read,
                new SetWatches2(7, List.of("/a"), List.of("/b"), List.of("/c"), List.of("/p"), List.of("/r", "/s")),
                new SetWatches2(0, null, null, null, null, null),
                new SetWatches2(0, List.of(), List.of(), List.of(), List.of(), List.of()));
        add(s, "GetEphemeralsRequest", GetEphemeralsRequest::read, new GetEphemeralsRequest("/app"),
                new GetEphemeralsRequest(null), new GetEphemeralsRequest(""));
        add(s, "GetEphemeralsResponse", GetEphemeralsResponse::read,
                new GetEphemeralsResponse(List.of("/app/e1", "/e2")), new GetEphemeralsResponse(null),
                new GetEphemeralsResponse(List.of()));
        add(s, "GetAllChildrenNumberRequest", GetAllChildrenNumberRequest::read,
                new GetAllChildrenNumberRequest("/"), new GetAllChildrenNumberRequest(null),
                new GetAllChildrenNumberRequest(""));
        add(s, "GetAllChildrenNumberResponse", GetAllChildrenNumberResponse::read,
                new GetAllChildrenNumberResponse(3), new GetAllChildrenNumberResponse(-1));
        add(s, "WhoAmIResponse", WhoAmIResponse::read,
                new WhoAmIResponse(List.of(new ClientInfo("ip", "127.0.0.1"), new ClientInfo("super", ""))),
                new WhoAmIResponse(null), new WhoAmIResponse(List.of()),
                new WhoAmIResponse(List.of(new ClientInfo(null, null))));
        add(s, "GetSASLRequest", GetSASLRequest::read, new GetSASLRequest(PASSWD), new GetSASLRequest(null),
                new GetSASLRequest(EMPTY));
        add(s, "SetSASLResponse", SetSASLResponse::read, new SetSASLResponse(PASSWD), new SetSASLResponse(null),
                new SetSASLResponse(EMPTY));
        add(s, "MultiHeader", MultiHeader::read, new MultiHeader(OpCode.CREATE, false, -1),
                new MultiHeader(-1, true, -1), new MultiHeader(OpCode.ERROR, false, Code.BADVERSION.intValue()));
        add(s, "MultiOperationRecord", MultiOperationRecord::read, multiOfEveryOpType(),
                new MultiOperationRecord(List.of()),
                new MultiOperationRecord(List.of(
                        new MultiOperationRecord.Op(OpCode.CREATE, new CreateRequest(null, null, null, 0)),
                        new MultiOperationRecord.Op(OpCode.SET_DATA, new SetDataRequest("", EMPTY, -1)))));
        add(s, "MultiResponse", MultiResponse::read, responseOfEveryResultType(),
                new MultiResponse(List.of()),
                new MultiResponse(List.of(MultiResponse.Result.error(0), MultiResponse.Result.error(-101),
                        MultiResponse.Result.error(-2))),
                new MultiResponse(List.of(
                        MultiResponse.Result.ok(OpCode.GET_DATA, new GetDataResponse(null, STAT)),
                        MultiResponse.Result.ok(OpCode.GET_CHILDREN, new GetChildrenResponse(null)))));
        return s;
    }

    /** Every op type a multi may carry, with the request record each one needs. */
    public static MultiOperationRecord multiOfEveryOpType() {
        return new MultiOperationRecord(List.of(
                new MultiOperationRecord.Op(OpCode.CREATE, new CreateRequest("/a", DATA, ACLS, 0)),
                new MultiOperationRecord.Op(OpCode.CREATE2, new CreateRequest("/b", EMPTY, ACLS, 2)),
                new MultiOperationRecord.Op(OpCode.CREATE_CONTAINER,
                        new CreateRequest("/c", null, ACL.OPEN_ACL_UNSAFE, 4)),
                new MultiOperationRecord.Op(OpCode.CREATE_TTL,
                        new CreateTTLRequest("/t", DATA, ACL.OPEN_ACL_UNSAFE, 5, 1000)),
                new MultiOperationRecord.Op(OpCode.DELETE, new DeleteRequest("/a", -1)),
                new MultiOperationRecord.Op(OpCode.DELETE_CONTAINER, new DeleteContainerRequest("/c")),
                new MultiOperationRecord.Op(OpCode.SET_DATA, new SetDataRequest("/b", DATA, 0)),
                new MultiOperationRecord.Op(OpCode.CHECK, new CheckVersionRequest("/b", 1)),
                new MultiOperationRecord.Op(OpCode.GET_DATA, new GetDataRequest("/b", false)),
                new MultiOperationRecord.Op(OpCode.GET_CHILDREN, new GetChildrenRequest("/", true))));
    }

    /** Every result type a multi response may carry, with the body each one needs. */
    public static MultiResponse responseOfEveryResultType() {
        return new MultiResponse(List.of(
                MultiResponse.Result.ok(OpCode.CREATE, new CreateResponse("/a")),
                MultiResponse.Result.ok(OpCode.CREATE2, new Create2Response("/b0000000001", STAT)),
                MultiResponse.Result.ok(OpCode.DELETE, null),
                MultiResponse.Result.ok(OpCode.DELETE_CONTAINER, null),
                MultiResponse.Result.ok(OpCode.SET_DATA, new SetDataResponse(STAT)),
                MultiResponse.Result.ok(OpCode.CHECK, null),
                MultiResponse.Result.ok(OpCode.GET_DATA, new GetDataResponse(DATA, STAT)),
                MultiResponse.Result.ok(OpCode.GET_CHILDREN, new GetChildrenResponse(List.of("x", "y"))),
                MultiResponse.Result.error(Code.NONODE.intValue())));
    }

    @SafeVarargs
    private static <T extends Record> void add(List<Sample> out, String name, JuteInput.Reader<T> reader,
                                               T... values) {
        for (int i = 0; i < values.length; i++) {
            out.add(new Sample(name + "#" + i, values[i], reader));
        }
    }
}
