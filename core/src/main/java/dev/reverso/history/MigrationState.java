package dev.reverso.history;

import java.util.Locale;

/** The states a migration's history row can be in, as stored in {@code reverso.migrations.state}. */
public enum MigrationState {
    /** Being applied, step by step; if no runner holds the lock, the run was interrupted. */
    RUNNING,
    APPLIED,
    /** A non-transactional migration failed part way: the database is dirty. */
    FAILED,
    /** Being rolled back, step by step; if no runner holds the lock, the rollback was interrupted. */
    ROLLING_BACK,
    ROLLED_BACK,
    /** An operation migration whose expand phase is done. */
    STARTED,
    COMPLETED;

    /** The value stored in the database. */
    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MigrationState fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** Whether this state leaves the database half-changed until someone repairs it. */
    public boolean dirty() {
        return this == RUNNING || this == FAILED || this == ROLLING_BACK;
    }

    /** Whether the migration's changes are in the database. */
    public boolean inEffect() {
        return this == APPLIED || this == STARTED || this == COMPLETED;
    }
}
