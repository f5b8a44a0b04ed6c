package dev.meerkat.server.quorum;

import dev.meerkat.protocol.record.Id;
import dev.meerkat.server.zab.LogSummary;
import dev.meerkat.server.zab.Message;
import dev.meerkat.server.zab.Proposal;
import dev.meerkat.server.zab.Role;
import dev.meerkat.server.zab.Snapshot;
import dev.meerkat.server.zab.Zxid;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** One or more examples of every message, edge values included. */
final class PeerMessages {
    static final long MAX_ZXID = Zxid.of(0xffff_ffffL, 0xffff_ffffL);

    private PeerMessages() {
    }

    static PeerMessage zab(Message m) {
        return new PeerMessage.Zab(m);
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static List<PeerMessage> all() {
        List<PeerMessage> all = new ArrayList<>();
        for (Role r : Role.values()) {
            all.add(zab(new Message.Notification(3, Zxid.of(2, 7), 2, 9, r, r != Role.OBSERVING)));
        }
        all.add(zab(new Message.Notification(Integer.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE,
                Role.LOOKING, false)));
        all.add(zab(new Message.Notification(Integer.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE,
                Role.LEADING, true)));
        all.add(zab(new Message.FollowerInfo(Long.MAX_VALUE, true, Long.MIN_VALUE)));
        all.add(zab(new Message.FollowerInfo(0, false, 0)));
        all.add(zab(new Message.AckEpoch(1, 2, true, 1, 0, new LogSummary(List.of(new LogSummary.Span(0, 0))))));
        all.add(zab(new Message.AckEpoch(Long.MIN_VALUE, Long.MAX_VALUE, false, -1, -1, new LogSummary(List.of(
                new LogSummary.Span(Zxid.of(1, 0), Zxid.of(1, 8)),
                new LogSummary.Span(Zxid.of(3, 1), Zxid.of(3, 1)),
                new LogSummary.Span(Zxid.of(0xffff_ffffL, 1), MAX_ZXID))))));
        all.add(zab(new Message.Ack(7, 3, Zxid.of(3, 12))));
        all.add(zab(new Message.Ack(Long.MAX_VALUE, Long.MIN_VALUE, -1)));
        all.add(zab(new Message.PingReply(7, 3, -1, 0)));
        all.add(zab(new Message.PingReply(Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MIN_VALUE)));
        all.add(zab(new Message.LeaderInfo(7, 0, 4)));
        all.add(zab(new Message.LeaderInfo(Long.MAX_VALUE, Long.MAX_VALUE, Long.MIN_VALUE)));
        all.add(zab(new Message.Sync(7, 1, Message.SyncKind.DIFF, Zxid.of(3, 4), null, List.of(), Zxid.of(3, 4))));
        all.add(zab(new Message.Sync(7, 1, Message.SyncKind.TRUNC, Zxid.of(2, 9), null,
                List.of(new Proposal(Zxid.of(3, 1), new byte[0]), new Proposal(Zxid.of(3, 2), bytes(100, 1)),
                        new Proposal(Long.MAX_VALUE, bytes(3, 2))),
                Long.MIN_VALUE)));
        all.add(zab(new Message.Sync(Long.MIN_VALUE, Long.MAX_VALUE, Message.SyncKind.SNAP, 0, Snapshot.EMPTY,
                List.of(), 0)));
        all.add(zab(new Message.Sync(9, 2, Message.SyncKind.SNAP, Zxid.of(5, 100),
                new Snapshot(Long.MAX_VALUE, bytes(1 << 20, 3)),
                List.of(new Proposal(Zxid.of(5, 101), bytes(5000, 4))), Zxid.of(5, 101))));
        all.add(zab(new Message.NewLeader(7, 2, 4)));
        all.add(zab(new Message.NewLeader(Long.MIN_VALUE, Long.MIN_VALUE, Long.MAX_VALUE)));
        all.add(zab(new Message.UpToDate(7, 3, Zxid.of(4, 0))));
        all.add(zab(new Message.UpToDate(Long.MAX_VALUE, Long.MIN_VALUE, -1)));
        all.add(zab(new Message.Propose(7, 4, new Proposal(1, new byte[0]))));
        all.add(zab(new Message.Propose(Long.MIN_VALUE, Long.MAX_VALUE, new Proposal(Long.MAX_VALUE, bytes(65536, 5)))));
        all.add(zab(new Message.Commit(7, 5, Zxid.of(4, 1))));
        all.add(zab(new Message.Commit(Long.MAX_VALUE, Long.MAX_VALUE, Long.MIN_VALUE)));
        all.add(zab(new Message.Inform(8, 0, new Proposal(Zxid.of(4, 2), bytes(40, 6)))));
        all.add(zab(new Message.Inform(Long.MIN_VALUE, Long.MIN_VALUE, new Proposal(1, new byte[0]))));
        all.add(zab(new Message.Ping(7, 6)));
        all.add(zab(new Message.Ping(Long.MIN_VALUE, Long.MAX_VALUE)));
        all.add(new PeerMessage.Forward(0x1234_5678_9abcL, 17, 1, bytes(60, 7),
                List.of(Id.ANYONE, new Id("digest", "bob:Zm9vYmFy"), new Id("ip", "127.0.0.1"), new Id("", ""),
                        new Id("x", "ünïcødé ✓ 𝄞"))));
        all.add(new PeerMessage.Forward(Long.MIN_VALUE, Integer.MIN_VALUE, -11, new byte[0], List.of()));
        all.add(new PeerMessage.Forward(Long.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, bytes(1 << 20, 8),
                List.of()));
        all.add(new PeerMessage.CreateSession(0x1234_5678_9abcL, 30_000, bytes(16, 9)));
        all.add(new PeerMessage.CreateSession(Long.MIN_VALUE, Integer.MIN_VALUE, new byte[0]));
        all.add(new PeerMessage.CreateSession(Long.MAX_VALUE, Integer.MAX_VALUE, bytes(300, 10)));
        all.add(new PeerMessage.Touch(new long[0]));
        all.add(new PeerMessage.Touch(new long[] {Long.MIN_VALUE, 0, 1, Long.MAX_VALUE}));
        all.add(new PeerMessage.Touch(new Random(11).longs(10_000).toArray()));
        all.add(new PeerMessage.SyncRequest(5, 6));
        all.add(new PeerMessage.SyncRequest(Long.MIN_VALUE, Integer.MIN_VALUE));
        all.add(new PeerMessage.SyncReply(5, 6, Zxid.of(4, 2)));
        all.add(new PeerMessage.SyncReply(Long.MAX_VALUE, Integer.MAX_VALUE, Long.MIN_VALUE));
        all.add(new PeerMessage.Attached(0x1234_5678_9abc_def0L));
        return all;
    }
}
