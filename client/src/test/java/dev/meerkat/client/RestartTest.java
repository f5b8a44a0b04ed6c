package dev.meerkat.client;

import dev.meerkat.protocol.CreateMode;
import dev.meerkat.server.EmbeddedMeerkat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Meerkat restart (stop, then start from its disk on the same port) is a dropped connection to
 * the client: the session, its ephemerals and its watches come through it.
 */
class RestartTest {
    private final EmbeddedMeerkat meerkat = EmbeddedMeerkat.start(b -> b.tickTime(Target.TICK_MS));
    private MeerkatClient client;
    private MeerkatClient other;

    @AfterEach
    void stop() {
        if (other != null) {
            other.close();
        }
        if (client != null) {
            client.close();
        }
        meerkat.close();
    }

    @Test
    void theSessionItsEphemeralsAndItsWatchesSurviveARestart() throws Exception {
        StateRecorder states = new StateRecorder();
        client = MeerkatClient.connect(meerkat.connectString(), ClientOptions.builder()
                .sessionTimeout(Duration.ofMillis(Target.MAX_SESSION_MS))
                .reconnectDelayMax(Duration.ofMillis(20))
                .connectionStateListener(states)
                .build()).get(10, TimeUnit.SECONDS);
        BlockingMeerkat c = client.sync();
        c.create("/n", null, CreateMode.PERSISTENT);
        c.create("/mine", null, CreateMode.EPHEMERAL);
        EventRecorder data = new EventRecorder();
        EventRecorder recursive = new EventRecorder();
        c.getData("/n", data);
        client.addWatch("/tree", recursive, WatchMode.PERSISTENT_RECURSIVE).get(10, TimeUnit.SECONDS);
        long session = client.sessionId();

        meerkat.restart();
        states.await(ConnectionState.RECONNECTED);
        other = MeerkatClient.connect(meerkat.connectString()).get(10, TimeUnit.SECONDS);
        other.setData("/n", "after".getBytes()).get(10, TimeUnit.SECONDS);
        other.create("/tree", null, CreateMode.PERSISTENT).get(10, TimeUnit.SECONDS);

        assertThat(data.nextDescribed()).isEqualTo("NodeDataChanged /n");
        assertThat(recursive.nextDescribed()).isEqualTo("NodeCreated /tree");
        assertThat(client.sessionId()).isEqualTo(session);
        assertThat(c.getEphemerals()).containsExactly("/mine");
        assertThat(states.states).containsExactly(
                ConnectionState.CONNECTED, ConnectionState.SUSPENDED, ConnectionState.RECONNECTED);
    }
}
