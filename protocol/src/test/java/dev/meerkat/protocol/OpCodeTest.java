package dev.meerkat.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The cons "lop" tags, as ZooKeeper's FinalRequestProcessor assigns them. */
class OpCodeTest {

    @Test
    void createAndDeleteVariantsShareTheirBaseTag() {
        assertThat(OpCode.shortName(OpCode.CREATE2)).isEqualTo("CREA");
        assertThat(OpCode.shortName(OpCode.CREATE_CONTAINER)).isEqualTo("CREA");
        assertThat(OpCode.shortName(OpCode.CREATE_TTL)).isEqualTo("CREA");
        assertThat(OpCode.shortName(OpCode.DELETE_CONTAINER)).isEqualTo("DELE");
    }

    @Test
    void setWatches2HasItsOwnTag() {
        assertThat(OpCode.shortName(OpCode.SET_WATCHES)).isEqualTo("SETW");
        assertThat(OpCode.shortName(OpCode.SET_WATCHES2)).isEqualTo("STW2");
    }

    @Test
    void opsWithoutATagShowNa() {
        assertThat(OpCode.shortName(10)).isEqualTo("NA");
        assertThat(OpCode.shortName(999)).isEqualTo("NA");
    }
}
