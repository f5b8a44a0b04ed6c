package dev.meerkat.protocol;

import dev.meerkat.protocol.jute.Jute;
import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;
import dev.meerkat.protocol.record.ConnectRequest;
import dev.meerkat.protocol.record.ConnectResponse;
import dev.meerkat.protocol.record.ErrorResponse;
import dev.meerkat.protocol.record.GetDataRequest;
import dev.meerkat.protocol.record.MultiResponse;
import dev.meerkat.protocol.record.ReplyHeader;
import dev.meerkat.protocol.record.RequestHeader;
import dev.meerkat.protocol.record.WatcherEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The captured 3.9.5 frames of Appendix A in the protocol reference, byte for byte. */
class AppendixABytesTest {
    private static final String ZEROS_16 = "00".repeat(16);
    private static final byte[] PASSWD = hex("0102030405060708090a0b0c0d0e0f10");

    private static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }

    @Test
    void connectRequestForANewSessionIs45Bytes() throws JuteException {
        byte[] expected = hex("00000000 0000000000000000 00007530 0000000000000000 00000010" + ZEROS_16 + "00");
        ConnectRequest request = new ConnectRequest(0, 0, 30000, 0, new byte[16], false, true);

        assertThat(expected).hasSize(45);
        assertThat(Jute.toBytes(request)).isEqualTo(expected);
        ConnectRequest decoded = Jute.fromBytes(expected, ConnectRequest::read);
        assertThat(decoded.timeOut()).isEqualTo(30000);
        assertThat(decoded.passwd()).isEqualTo(new byte[16]);
        assertThat(decoded.readOnlyPresent()).isTrue();
        assertThat(decoded.readOnly()).isFalse();
    }

    @Test
    void connectRequestWithoutTheReadOnlyByteDecodesAsAnOldClient() throws JuteException {
        byte[] old = hex("00000000 0000000000000005 00007530 0100007531000000 00000010" + ZEROS_16);

        ConnectRequest decoded = Jute.fromBytes(old, ConnectRequest::read);

        assertThat(old).hasSize(44);
        assertThat(decoded.readOnlyPresent()).isFalse();
        assertThat(decoded.readOnly()).isFalse();
        assertThat(decoded.lastZxidSeen()).isEqualTo(5);
        assertThat(decoded.sessionId()).isEqualTo(0x0100007531000000L);
        assertThat(Jute.toBytes(decoded)).isEqualTo(old);
    }

    @Test
    void connectRequestReadOnlyFlagIsAnyNonZeroByte() throws JuteException {
        byte[] bytes = hex("00000000 0000000000000000 00007530 0000000000000000 00000010" + ZEROS_16 + "7f");

        ConnectRequest decoded = Jute.fromBytes(bytes, ConnectRequest::read);

        assertThat(decoded.readOnly()).isTrue();
        assertThat(decoded.readOnlyPresent()).isTrue();
    }

    @Test
    void connectResponseIs37BytesWithTheReadOnlyByteAnd36Without() throws JuteException {
        String body = "00000000 00009c40 010000752efc0000 00000010 0102030405060708090a0b0c0d0e0f10";
        ConnectResponse with = new ConnectResponse(0, 40000, 0x010000752efc0000L, PASSWD, false, true);
        ConnectResponse without = new ConnectResponse(0, 40000, 0x010000752efc0000L, PASSWD, false, false);

        assertThat(Jute.toBytes(with)).hasSize(37).isEqualTo(hex(body + "00"));
        assertThat(Jute.toBytes(without)).hasSize(36).isEqualTo(hex(body));
        assertThat(Jute.fromBytes(hex(body), ConnectResponse::read).readOnlyPresent()).isFalse();
        ConnectResponse decoded = Jute.fromBytes(hex(body + "00"), ConnectResponse::read);
        assertThat(decoded.readOnlyPresent()).isTrue();
        assertThat(decoded.sessionId()).isEqualTo(0x010000752efc0000L);
        assertThat(decoded.passwd()).isEqualTo(PASSWD);
    }

    @Test
    void connectResponseForAnExpiredSession() {
        ConnectResponse expired = new ConnectResponse(0, 0, 0, new byte[16], false, true);

        assertThat(Jute.toBytes(expired))
                .isEqualTo(hex("00000000 00000000 0000000000000000 00000010" + ZEROS_16 + "00"));
    }

    @Test
    void getDataRequestWithWatch() throws JuteException {
        byte[] expected = hex("00000001 00000004 00000002 2f61 01");

        assertThat(Jute.toBytes(new RequestHeader(1, OpCode.GET_DATA), new GetDataRequest("/a", true)))
                .isEqualTo(expected);
        JuteInput in = new JuteInput(Unpooled.wrappedBuffer(expected));
        RequestHeader header = RequestHeader.read(in);
        assertThat(header).isEqualTo(new RequestHeader(1, OpCode.GET_DATA));
        assertThat(Requests.readBody(header.type(), in)).isEqualTo(new GetDataRequest("/a", true));
        assertThat(in.hasRemaining()).isFalse();
    }

    @Test
    void getDataRequestAsAFrame() {
        ByteBuf frame = FrameCodec.encode(ByteBufAllocator.DEFAULT,
                new RequestHeader(1, OpCode.GET_DATA), new GetDataRequest("/a", true));
        try {
            assertThat(ByteBufUtil.hexDump(frame)).isEqualTo("0000000f" + "0000000100000004000000022f6101");
        } finally {
            frame.release();
        }
    }

    @Test
    void pingRequestAndReply() throws JuteException {
        byte[] request = hex("fffffffe 0000000b");
        byte[] reply = hex("fffffffe 0000000100000007 00000000");

        assertThat(Jute.toBytes(new RequestHeader(-2, OpCode.PING))).isEqualTo(request);
        assertThat(Jute.toBytes(new ReplyHeader(-2, 0x100000007L, 0))).isEqualTo(reply);
        JuteInput in = new JuteInput(Unpooled.wrappedBuffer(request));
        assertThat(Requests.readBody(RequestHeader.read(in).type(), in)).isNull();
    }

    @Test
    void nodeDataChangedNotification() throws JuteException {
        byte[] expected = hex("ffffffff 0000000000000005 00000000 00000003 00000003 00000002 2f61");

        byte[] actual = Jute.toBytes(new ReplyHeader(-1, 5, 0),
                new WatcherEvent(EventType.NODE_DATA_CHANGED, KeeperState.SYNC_CONNECTED, "/a"));

        assertThat(actual).isEqualTo(expected);
        JuteInput in = new JuteInput(Unpooled.wrappedBuffer(expected));
        assertThat(ReplyHeader.read(in)).isEqualTo(new ReplyHeader(-1, 5, 0));
        assertThat(WatcherEvent.read(in)).isEqualTo(new WatcherEvent(3, 3, "/a"));
    }

    @Test
    void failedMultiReplyBody() throws JuteException {
        byte[] expected = hex("ffffffff 00 00000000 00000000"
                + "ffffffff 00 ffffff9b ffffff9b"
                + "ffffffff 00 fffffffe fffffffe"
                + "ffffffff 01 ffffffff");
        MultiResponse response = new MultiResponse(List.of(MultiResponse.Result.error(0),
                MultiResponse.Result.error(Code.NONODE.intValue()),
                MultiResponse.Result.error(Code.RUNTIMEINCONSISTENCY.intValue())));

        assertThat(Jute.toBytes(response)).isEqualTo(expected);
        MultiResponse decoded = Jute.fromBytes(expected, MultiResponse::read);
        assertThat(decoded.results()).extracting(MultiResponse.Result::err).containsExactly(0, -101, -2);
        assertThat(decoded.results()).extracting(MultiResponse.Result::type).containsOnly(OpCode.ERROR);
        assertThat(decoded).isEqualTo(response);
    }

    @Test
    void addWatchReplyCarriesAMandatoryZeroErrorResponse() {
        byte[] actual = Jute.toBytes(new ReplyHeader(9, 0x10000000aL, 0), new ErrorResponse(0));

        assertThat(actual).isEqualTo(hex("00000009 000000010000000a 00000000 00000000"));
    }
}
