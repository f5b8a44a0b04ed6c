package dev.meerkat.server.watch;

import dev.meerkat.protocol.EventType;
import dev.meerkat.protocol.record.ACL;

import java.util.ArrayList;
import java.util.List;

/** A connection stand-in that remembers every event, with the ACL it came with. */
public final class RecordingWatcher implements Watcher {

    /** One delivered notification. */
    public record Delivery(int type, String path, long zxid, List<ACL> acl) {
        @Override
        public String toString() {
            return EventType.name(type) + " " + path + " @" + zxid;
        }
    }

    private final long sessionId;
    private final List<Delivery> deliveries = new ArrayList<>();

    public RecordingWatcher(long sessionId) {
        this.sessionId = sessionId;
    }

    @Override
    public void process(WatchedEvent event, List<ACL> nodeAcl) {
        deliveries.add(new Delivery(event.type(), event.path(), event.zxid(), nodeAcl));
    }

    @Override
    public long sessionId() {
        return sessionId;
    }

    public List<Delivery> deliveries() {
        return deliveries;
    }

    /** "NodeCreated /a" strings, for compact assertions on type, path and order. */
    public List<String> events() {
        List<String> out = new ArrayList<>();
        for (Delivery d : deliveries) {
            out.add(EventType.name(d.type()) + " " + d.path());
        }
        return out;
    }

    public void clear() {
        deliveries.clear();
    }
}
