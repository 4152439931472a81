package dev.reverso.archive;

import java.time.Instant;
import java.util.List;

/**
 * One object a migration's destructive step preserved (a row of {@code reverso.archives}).
 *
 * @param step         the up step that destroyed it
 * @param archiveTable the table in the archive schema holding it; null when nothing could be kept
 * @param rows         rows kept
 * @param bytes        the archive table's size on disk when it was made
 * @param restoredAt   when a rollback put it back, or null
 * @param restoreNote  what the rollback could not put back, or how it did
 */
public record ArchiveEntry(long id, String version, int step, Kind kind, String sourceSchema, String sourceTable,
                           String archiveTable, Detail detail, long rows, long bytes, Instant createdAt, Instant restoredAt,
                           String restoreNote) {

    /** What was preserved, and so how it is put back. */
    public enum Kind {
        /** A dropped column's values, by key. */
        COLUMN,
        /** A column's values before a lossy type change, by key. */
        TYPE,
        /** A dropped table, moved whole into the archive schema. */
        TABLE,
        /** Rows removed by TRUNCATE or DELETE. */
        ROWS,
        /** Rows as they were before an UPDATE changed them. */
        VALUES,
        /** A destructive step whose data could not be kept; {@link Detail#note()} says why. */
        NOT_ARCHIVED;

        public String dbValue() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }

        static Kind of(String db) {
            return valueOf(db.toUpperCase(java.util.Locale.ROOT).replace(' ', '_'));
        }
    }

    /**
     * What a restore needs to know besides the rows.
     *
     * @param statement the destructive statement, on one line
     * @param column    the column dropped or retyped, or null
     * @param definition the column as it was (type, default, NOT NULL...), or null
     * @param match     the columns that find a row again: its key, or (keyed false) every other column
     * @param keyed     whether {@code match} is a real key
     * @param columns   the columns whose values are put back
     * @param recreate  DDL that puts back what was dropped along with the object (indexes and
     *                  constraints on a dropped column, foreign keys and views on a dropped table)
     * @param sequences the positions of the sequences the table's columns own
     * @param note      for NOT_ARCHIVED, why; otherwise a remark for people, or null
     */
    public record Detail(String statement, String column, TableShape.Column definition, List<String> match, boolean keyed,
                         List<String> columns, List<String> recreate, List<SequencePosition> sequences, String note) {

        public Detail {
            match = match == null ? List.of() : List.copyOf(match);
            columns = columns == null ? List.of() : List.copyOf(columns);
            recreate = recreate == null ? List.of() : List.copyOf(recreate);
            sequences = sequences == null ? List.of() : List.copyOf(sequences);
        }
    }

    /** Where a column's sequence stood: enough for {@code setval(sequence, lastValue, isCalled)}. */
    public record SequencePosition(String column, String sequence, long lastValue, boolean isCalled) { }

    /** The source table as {@code schema.table}, for messages. */
    public String source() {
        return sourceSchema + "." + sourceTable + (detail.column() == null ? "" : "." + detail.column());
    }
}
