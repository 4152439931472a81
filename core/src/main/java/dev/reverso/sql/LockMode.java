package dev.reverso.sql;

import java.util.EnumSet;
import java.util.Set;

/**
 * PostgreSQL's table-level lock modes, weakest first, plus {@link #NONE} for statements that
 * lock no existing relation.
 */
public enum LockMode {
    /** No table-level lock on an existing relation. */
    NONE("NONE", "nothing"),
    ACCESS_SHARE("ACCESS SHARE", "only ACCESS EXCLUSIVE locks"),
    ROW_SHARE("ROW SHARE", "EXCLUSIVE and ACCESS EXCLUSIVE locks"),
    ROW_EXCLUSIVE("ROW EXCLUSIVE", "DDL needing SHARE or stronger"),
    SHARE_UPDATE_EXCLUSIVE("SHARE UPDATE EXCLUSIVE",
            "other DDL, VACUUM and CREATE INDEX (reads and writes allowed)"),
    SHARE("SHARE", "writes"),
    SHARE_ROW_EXCLUSIVE("SHARE ROW EXCLUSIVE", "writes"),
    EXCLUSIVE("EXCLUSIVE", "writes (reads allowed)"),
    ACCESS_EXCLUSIVE("ACCESS EXCLUSIVE", "reads and writes");

    private final String sqlName;
    private final String blocks;

    LockMode(String sqlName, String blocks) {
        this.sqlName = sqlName;
        this.blocks = blocks;
    }

    /** The name as PostgreSQL writes it, e.g. "ACCESS EXCLUSIVE". */
    public String sqlName() {
        return sqlName;
    }

    /** A short phrase saying what this lock blocks in other sessions, e.g. "reads and writes". */
    public String blocks() {
        return blocks;
    }

    /**
     * Whether this lock and {@code other}, held by different sessions on the same table,
     * conflict — PostgreSQL's table of conflicting lock modes. {@link #NONE} conflicts with
     * nothing.
     */
    public boolean conflictsWith(LockMode other) {
        return conflicting().contains(other);
    }

    private Set<LockMode> conflicting() {
        return switch (this) {
            case NONE -> EnumSet.noneOf(LockMode.class);
            case ACCESS_SHARE -> EnumSet.of(ACCESS_EXCLUSIVE);
            case ROW_SHARE -> EnumSet.of(EXCLUSIVE, ACCESS_EXCLUSIVE);
            case ROW_EXCLUSIVE -> EnumSet.of(SHARE, SHARE_ROW_EXCLUSIVE, EXCLUSIVE, ACCESS_EXCLUSIVE);
            case SHARE_UPDATE_EXCLUSIVE -> EnumSet.range(SHARE_UPDATE_EXCLUSIVE, ACCESS_EXCLUSIVE);
            // SHARE is the one mode that does not conflict with itself.
            case SHARE -> EnumSet.of(ROW_EXCLUSIVE, SHARE_UPDATE_EXCLUSIVE, SHARE_ROW_EXCLUSIVE,
                    EXCLUSIVE, ACCESS_EXCLUSIVE);
            case SHARE_ROW_EXCLUSIVE -> EnumSet.range(ROW_EXCLUSIVE, ACCESS_EXCLUSIVE);
            case EXCLUSIVE -> EnumSet.range(ROW_SHARE, ACCESS_EXCLUSIVE);
            case ACCESS_EXCLUSIVE -> EnumSet.range(ACCESS_SHARE, ACCESS_EXCLUSIVE);
        };
    }

    /** The stronger of this mode and {@code other}. */
    public LockMode max(LockMode other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
