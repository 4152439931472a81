package dev.reverso.archive;

import java.util.List;
import java.util.Optional;

/**
 * What one statement destroys, as read from its text before it runs: the closed set of data
 * losses Reverso preserves first.
 */
public sealed interface Destruction {

    /** The table whose data is at stake. */
    TableName table();

    /** What the archive does about it, for {@code plan}. */
    String archived();

    /** {@code ALTER TABLE ... DROP COLUMN}: the column's values. */
    record DroppedColumn(TableName table, String column) implements Destruction {
        public String archived() {
            return "archives the values of " + table + "." + column + " first";
        }
    }

    /** {@code ALTER TABLE ... ALTER COLUMN ... TYPE}: the old values, when the new type can lose them. */
    record ChangedType(TableName table, String column, String newType, boolean using) implements Destruction {
        public String archived() {
            return "archives the old values of " + table + "." + column + " first, unless " + newType + " keeps every value";
        }
    }

    /**
     * {@code DROP TABLE}: the whole table, definition and rows.
     *
     * @param ifExists the statement says IF EXISTS: a missing table is no error
     */
    record DroppedTable(TableName table, boolean cascade, boolean ifExists) implements Destruction {
        public String archived() {
            return "moves " + table + " into the archive whole instead of dropping it";
        }
    }

    /** {@code TRUNCATE}: the table's rows (and, with CASCADE, those of the tables referencing it). */
    record Truncated(TableName table, boolean cascade, boolean restartIdentity) implements Destruction {
        public String archived() {
            return "archives the rows of " + table + (cascade ? " and of the tables that reference it" : "") + " first";
        }
    }

    /**
     * {@code DELETE}: the rows it deletes. The statement is rewritten to hand them over as it
     * deletes them, so exactly the deleted rows are kept.
     *
     * @param reference how the statement's RETURNING clause names the table (its alias, or its name)
     * @param with      the statement's own WITH clause (CTEs that only read), if it has one
     * @param delete    the text of the DELETE itself, after its WITH clause
     */
    record DeletedRows(TableName table, String reference, Optional<String> with, String delete) implements Destruction {
        public String archived() {
            return "archives the rows it deletes from " + table + " as it deletes them";
        }
    }

    /**
     * {@code UPDATE}: the rows it is about to change, as they were.
     *
     * @param alias      the table's alias, if the statement gives one
     * @param columns    the columns its SET clause assigns
     * @param from       the text of its FROM list, if any
     * @param where      the text of its WHERE condition, if any
     * @param with       its own WITH clause (CTEs that only read), which FROM and WHERE may refer to
     */
    record UpdatedRows(TableName table, Optional<String> alias, List<String> columns, Optional<String> from,
                       Optional<String> where, Optional<String> with) implements Destruction {
        public String archived() {
            return "archives the rows of " + table + " it changes, as they were";
        }
    }

    /**
     * A statement that changes data in a way Reverso cannot bound from its text (a DO block, a
     * data-modifying WITH, a DML with its own RETURNING): nothing is archived unless the user asks
     * for the whole table.
     *
     * @param table the table it names, when it names one
     */
    record Unbounded(TableName table, String reason) implements Destruction {
        public String archived() {
            return "not archived: " + reason + (table == null ? "" : " (--archive-table keeps the whole of " + table + ")");
        }
    }
}
