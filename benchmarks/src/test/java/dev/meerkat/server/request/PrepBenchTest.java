package dev.meerkat.server.request;

import dev.meerkat.bench.jmh.Trees;
import dev.meerkat.server.txn.CreateTxn;
import dev.meerkat.server.txn.SetDataTxn;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The prepare benchmark's operations succeed, many times over, with either ACL (no JMH run). */
class PrepBenchTest {

    @ParameterizedTest
    @ValueSource(strings = {"world", "digest"})
    void preparesCreatesAndSetDataPastTheInFlightWindow(String acl) throws Exception {
        PrepBench bench = new PrepBench();
        bench.nodes = 1000;
        bench.acl = acl;
        bench.setUp();
        for (int k = 0; k < 3 * PrepBench.IN_FLIGHT; k++) {
            SetDataTxn set = bench.setData();
            assertThat(set.path()).startsWith(Trees.PARENT + "/k");
            assertThat(set.version()).isPositive();
            assertThat(set.data()).hasSize(1024);
            CreateTxn created = bench.create();
            assertThat(created.path()).startsWith(Trees.PARENT + "/new");
            assertThat(created.acl()).hasSize(1);
            assertThat(created.acl().get(0).id().scheme()).isEqualTo(acl.equals("world") ? "world" : "digest");
        }
    }
}
