package dev.reverso.archive;

import java.util.List;

/**
 * What {@code restore} put into the target database.
 *
 * @param snapshot the snapshot's id
 * @param target the target database, password hidden
 * @param tables each table restored with its row count in the target
 * @param durationMs the whole restore, checks included
 */
public record RestoreReport(long snapshot, String target, List<Restored> tables, long durationMs) {

    /** One table restored and the rows it now has. */
    public record Restored(String table, long rows) {
    }

    public long rows() {
        return tables.stream().mapToLong(Restored::rows).sum();
    }
}
