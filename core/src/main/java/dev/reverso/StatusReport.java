package dev.reverso;

import dev.reverso.history.LockHolder;

import java.util.List;

/**
 * What {@code status} reports.
 *
 * @param database the target, password hidden
 * @param schema Reverso's schema
 * @param migrations every migration of the folder and the database, in version order
 * @param activeRunner the runner holding the lock right now, or null
 */
public record StatusReport(String database, String schema, List<MigrationStatus> migrations, LockHolder activeRunner) {

    public long pending() {
        return migrations.stream().filter(m -> m.state() == MigrationStatus.State.PENDING
                || m.state() == MigrationStatus.State.ROLLED_BACK).filter(m -> !m.fileMissing()).count();
    }

    public boolean dirty() {
        return migrations.stream().anyMatch(m -> m.state().dirty());
    }
}
