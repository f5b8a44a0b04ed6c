package dev.meerkat.server.txn;

import dev.meerkat.protocol.record.ACL;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TxnRecordsTest {

    @Test
    void txnsWithEqualBytesAreEqualSoALogRoundTripCanBeCompared() {
        assertThat(new CreateTxn("/a", new byte[] {1, 2}, ACL.OPEN_ACL_UNSAFE, 7))
                .isEqualTo(new CreateTxn("/a", new byte[] {1, 2}, ACL.OPEN_ACL_UNSAFE, 7))
                .hasSameHashCodeAs(new CreateTxn("/a", new byte[] {1, 2}, ACL.OPEN_ACL_UNSAFE, 7))
                .isNotEqualTo(new CreateTxn("/a", new byte[] {1, 3}, ACL.OPEN_ACL_UNSAFE, 7))
                .isNotEqualTo(new CreateTxn("/a", null, ACL.OPEN_ACL_UNSAFE, 7))
                .isNotEqualTo(new CreateTxn("/a", new byte[] {1, 2}, ACL.OPEN_ACL_UNSAFE, 8));
        assertThat(new SetDataTxn("/a", new byte[] {9}, 3))
                .isEqualTo(new SetDataTxn("/a", new byte[] {9}, 3))
                .hasSameHashCodeAs(new SetDataTxn("/a", new byte[] {9}, 3))
                .isNotEqualTo(new SetDataTxn("/a", new byte[] {9}, 4));
        assertThat(new SetDataTxn("/a", null, 1)).isEqualTo(new SetDataTxn("/a", null, 1));
        assertThat(new CreateSessionTxn(3000, new byte[] {5}))
                .isEqualTo(new CreateSessionTxn(3000, new byte[] {5}))
                .hasSameHashCodeAs(new CreateSessionTxn(3000, new byte[] {5}))
                .isNotEqualTo(new CreateSessionTxn(3000, new byte[] {6}));
        assertThat(new MultiTxn(List.of(new DeleteTxn("/x"), new CreateTxn("/y", new byte[] {1}, ACL.OPEN_ACL_UNSAFE, 0))))
                .isEqualTo(new MultiTxn(List.of(new DeleteTxn("/x"), new CreateTxn("/y", new byte[] {1}, ACL.OPEN_ACL_UNSAFE, 0))));
    }

    @Test
    void listsAreCopiedSoALaterChangeToTheCallersListCannotAlterAnAppliedTxn() {
        List<ACL> acl = new ArrayList<>(ACL.OPEN_ACL_UNSAFE);
        List<Txn> subs = new ArrayList<>(List.of(new DeleteTxn("/x")));
        CreateTxn create = new CreateTxn("/a", null, acl, 0);
        SetACLTxn setAcl = new SetACLTxn("/a", acl, 1);
        MultiTxn multi = new MultiTxn(subs);
        acl.clear();
        subs.clear();

        assertThat(create.acl()).isEqualTo(ACL.OPEN_ACL_UNSAFE);
        assertThat(setAcl.acl()).isEqualTo(ACL.OPEN_ACL_UNSAFE);
        assertThat(multi.txns()).hasSize(1);
        assertThatThrownBy(() -> multi.txns().add(new DeleteTxn("/y"))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void thePasswordStaysOutOfLogs() {
        assertThat(new CreateSessionTxn(4000, "secret-bytes".getBytes()).toString())
                .contains("4000")
                .doesNotContain("secret")
                .doesNotContain("[B@");
    }

    @Test
    void missingPathsAreRefusedAtConstruction() {
        assertThatThrownBy(() -> new CreateTxn(null, null, ACL.OPEN_ACL_UNSAFE, 0)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new DeleteTxn(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new SetDataTxn(null, null, 0)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new SetACLTxn(null, ACL.OPEN_ACL_UNSAFE, 0)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new CheckVersionTxn(null, 0)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void resultKeepsItsOwnCopyOfSubResults() {
        List<ProcessTxnResult> subs = new ArrayList<>(List.of(new ProcessTxnResult(0, "/a", null, null)));
        ProcessTxnResult result = new ProcessTxnResult(0, null, null, subs);
        subs.clear();

        assertThat(result.multiResults()).hasSize(1);
        assertThat(result.ok()).isTrue();
        assertThat(new ProcessTxnResult(-101, "/a", null, null).ok()).isFalse();
    }
}
