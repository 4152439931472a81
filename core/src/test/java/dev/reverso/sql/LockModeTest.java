package dev.reverso.sql;

import static dev.reverso.sql.LockMode.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LockModeTest {

    @Test
    void conflictTableMatchesPostgresql() {
        assertConflicts(ACCESS_SHARE, EnumSet.of(ACCESS_EXCLUSIVE));
        assertConflicts(ROW_SHARE, EnumSet.of(EXCLUSIVE, ACCESS_EXCLUSIVE));
        assertConflicts(ROW_EXCLUSIVE, EnumSet.of(SHARE, SHARE_ROW_EXCLUSIVE, EXCLUSIVE, ACCESS_EXCLUSIVE));
        assertConflicts(SHARE_UPDATE_EXCLUSIVE,
                EnumSet.of(SHARE_UPDATE_EXCLUSIVE, SHARE, SHARE_ROW_EXCLUSIVE, EXCLUSIVE, ACCESS_EXCLUSIVE));
        assertConflicts(SHARE, EnumSet.of(ROW_EXCLUSIVE, SHARE_UPDATE_EXCLUSIVE, SHARE_ROW_EXCLUSIVE, EXCLUSIVE,
                ACCESS_EXCLUSIVE));
        assertConflicts(SHARE_ROW_EXCLUSIVE, EnumSet.of(ROW_EXCLUSIVE, SHARE_UPDATE_EXCLUSIVE, SHARE,
                SHARE_ROW_EXCLUSIVE, EXCLUSIVE, ACCESS_EXCLUSIVE));
        assertConflicts(EXCLUSIVE, EnumSet.complementOf(EnumSet.of(NONE, ACCESS_SHARE)));
        assertConflicts(ACCESS_EXCLUSIVE, EnumSet.complementOf(EnumSet.of(NONE)));
        assertConflicts(NONE, EnumSet.noneOf(LockMode.class));
    }

    @Test
    void conflictsAreSymmetric() {
        for (LockMode a : values()) {
            for (LockMode b : values()) {
                assertThat(a.conflictsWith(b)).as(a + " vs " + b).isEqualTo(b.conflictsWith(a));
            }
        }
    }

    private static void assertConflicts(LockMode mode, Set<LockMode> expected) {
        for (LockMode other : values()) {
            assertThat(mode.conflictsWith(other)).as(mode + " vs " + other).isEqualTo(expected.contains(other));
        }
    }

    @Test
    void namesAndPhrases() {
        assertThat(ACCESS_EXCLUSIVE.sqlName()).isEqualTo("ACCESS EXCLUSIVE");
        assertThat(SHARE_UPDATE_EXCLUSIVE.sqlName()).isEqualTo("SHARE UPDATE EXCLUSIVE");
        assertThat(ACCESS_EXCLUSIVE.blocks()).isEqualTo("reads and writes");
        assertThat(EXCLUSIVE.blocks()).isEqualTo("writes (reads allowed)");
        assertThat(SHARE.blocks()).isEqualTo("writes");
        assertThat(SHARE_ROW_EXCLUSIVE.blocks()).isEqualTo("writes");
        assertThat(SHARE_UPDATE_EXCLUSIVE.blocks())
                .isEqualTo("other DDL, VACUUM and CREATE INDEX (reads and writes allowed)");
        assertThat(ROW_EXCLUSIVE.blocks()).isEqualTo("DDL needing SHARE or stronger");
        assertThat(ROW_SHARE.blocks()).isEqualTo("EXCLUSIVE and ACCESS EXCLUSIVE locks");
        assertThat(ACCESS_SHARE.blocks()).isEqualTo("only ACCESS EXCLUSIVE locks");
        assertThat(NONE.blocks()).isEqualTo("nothing");
    }

    @Test
    void orderedWeakestFirst() {
        assertThat(values()).containsExactly(NONE, ACCESS_SHARE, ROW_SHARE, ROW_EXCLUSIVE, SHARE_UPDATE_EXCLUSIVE,
                SHARE, SHARE_ROW_EXCLUSIVE, EXCLUSIVE, ACCESS_EXCLUSIVE);
        assertThat(SHARE.max(ROW_EXCLUSIVE)).isEqualTo(SHARE);
    }
}
