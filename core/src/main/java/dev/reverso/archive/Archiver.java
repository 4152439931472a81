package dev.reverso.archive;

import dev.reverso.sql.Identifiers;
import dev.reverso.sql.Statement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Preserves what a statement is about to destroy, on the migration's own connection and in its
 * transaction, so the archive and the destruction commit or roll back together. Called right
 * before the statement runs; it returns the SQL to run in its place (the statement itself, or a
 * rewrite that hands its deleted rows to the archive, or less when a dropped table was moved into
 * the archive whole).
 */
public final class Archiver {

    /** How the reason of a NOT_ARCHIVED entry starts when archiving was tried and failed. */
    public static final String FAILED = "archiving failed: ";
    /** The note of the entry of a DROP TABLE IF EXISTS whose table was not there. */
    static final String NO_SUCH_TABLE = "no such table: DROP TABLE IF EXISTS dropped nothing";

    /** The note of an archive that holds a whole table: its restore also inserts the rows deleted since. */
    static final String WHOLE_TABLE = "whole table";

    /**
     * Tables with fewer rows than this (by the planner's estimate) have their values copied in the
     * statement's transaction: a copy of that size takes milliseconds, less than the triggers would cost.
     */
    static final long CAPTURE_FROM_ROWS = 20_000;

    /** SQLSTATE of a run stopped by its guard (the monitor) or a cancel: never swallowed. */
    private static final String STOPPED = "57014";

    private final ArchiveIndex index;
    private final Archiving mode;
    /** Captures made ahead of the statements of the migration being run, by step number. */
    private final java.util.Map<Integer, List<ColumnCapture>> captures = new java.util.HashMap<>();

    public Archiver(ArchiveIndex index, Archiving mode) {
        this.index = index;
        this.mode = mode;
    }

    /**
     * What preparing a statement did: the SQL to run now (null: nothing left to run), and the
     * archive entries to count once it has run.
     */
    public record Prepared(String sql, List<Kept> entries, List<String> warnings) { }

    /**
     * An archive entry made for a statement, to size once the statement has run.
     *
     * @param table its table in the archive schema, or null when nothing was copied
     * @param rows  the rows copied, -1 when only the statement itself fills it (a DELETE), -2 for a capture made
     *              ahead (counted after the commit)
     */
    public record Kept(long id, String table, ArchiveEntry.Kind kind, long rows) { }

    /** Rows a DELETE hands to its archive as it runs: counted after. */
    private static final long COUNT_AFTER = -1;

    /** Rows of a capture made ahead: counted once the statement's transaction committed, not under its lock. */
    private static final long COUNTED_AFTER_COMMIT = -2;

    /** The index this archiver writes. */
    public ArchiveIndex index() {
        return index;
    }

    /** Called between the batches of a copy made ahead: the run's pacing and stop checks. */
    @FunctionalInterface
    public interface Pacer {
        void pace() throws SQLException;
    }

    /** Runs work that takes a lock on an application table: the caller's lock-timeout retry. */
    @FunctionalInterface
    public interface UnderLockTimeout {
        /** @return false when the lock could not be had in the run's total wait (the work did not happen) */
        boolean run(SqlWork work) throws SQLException;
    }

    /** Some SQL work on the migration's connection. */
    @FunctionalInterface
    public interface SqlWork {
        void run() throws SQLException;
    }

    /**
     * Before the transaction of {@code statement} (step {@code step}) begins, and in autocommit:
     * copies into the archive the values of every large column it drops or retypes lossily, with
     * triggers capturing what is written meanwhile ({@link ColumnCapture}), so that the
     * statement's transaction does not copy them under its lock. Columns it cannot capture (no
     * key, a small table, row-level security, a partitioned table, a generated column) are left to
     * {@link #prepare}, which copies them in the transaction as before.
     *
     * @param locked runs the trigger creation under the lock-timeout retry
     * @param between called between copy batches
     * @return warnings (a capture that could not be made, and why)
     */
    public List<String> captureAhead(Connection c, String version, int step, Statement statement, UnderLockTimeout locked,
                                     Pacer between) throws SQLException {
        List<Destruction> destructions = Destructions.of(statement);
        List<String> warnings = new ArrayList<>();
        for (Destruction d : destructions) {
            String column;
            if (d instanceof Destruction.DroppedColumn dc) {
                column = dc.column();
            } else if (d instanceof Destruction.ChangedType ct) {
                column = ct.column();
            } else {
                continue;
            }
            Optional<TableShape> found = TableShape.of(c, d.table());
            if (found.isEmpty() || found.get().column(column).isEmpty() || !capturable(c, found.get())
                    || TableShape.temporary(c, d.table())) {
                continue;
            }
            TableShape shape = found.get();
            TableShape.Column col = shape.column(column).get();
            if (col.generated() || shape.key().contains(col.name()) || d instanceof Destruction.ChangedType ct
                    && !ct.using() && Widening.lossless(col.type(), ct.newType()).isPresent()) {
                continue;
            }
            StoredColumns stored = StoredColumns.of(c, shape.oid());
            if (shape.key().stream().anyMatch(stored::asText)) {
                continue;
            }
            long id = index.nextId(c);
            ColumnCapture capture = new ColumnCapture(id, ArchiveNames.of(version, shape.name(), col.name(), id), shape, col,
                    index.archiveSchema(), stored);
            try {
                ensureSchema(c);
                capture.createArchive(c);
                // Filled in autocommit batches, so sealed before the first one commits.
                seal(c, capture.archive);
                if (!locked.run(() -> capture.createTriggers(c))) {
                    capture.drop(c);
                    warnings.add("step " + step + ": the values of " + shape.schema() + "." + shape.name() + "." + col.name()
                            + " are copied in the statement's transaction: no lock for the capture triggers in time");
                    continue;
                }
                captures.computeIfAbsent(step, k -> new ArrayList<>()).add(capture);
                capture.copy(c, between);
            } catch (SQLException e) {
                captures.getOrDefault(step, new ArrayList<>()).remove(capture);
                try {
                    capture.drop(c);
                } catch (SQLException ignored) {
                    // The sweep of the next run drops it; the failure that matters is the first one.
                }
                if (STOPPED.equals(e.getSQLState())) {
                    throw e;
                }
                // A copy ahead is only an optimisation: the statement's transaction archives as before.
                warnings.add("step " + step + ": the values of " + shape.schema() + "." + shape.name() + "." + col.name()
                        + " are copied in the statement's transaction: copying them ahead failed ("
                        + dev.reverso.Database.serverMessage(e) + ")");
            }
        }
        return warnings;
    }

    /** A table whose rows the migrating role reads in full and finds again by a key, large enough to be worth capturing. */
    private static boolean capturable(Connection c, TableShape shape) throws SQLException {
        if (shape.key().isEmpty() || shape.partition()) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("select (reltuples >= ? or reltuples < 0 and pg_relation_size(oid) >= 8388608)"
                + " and not relrowsecurity from pg_class where oid = ?")) {
            ps.setLong(1, CAPTURE_FROM_ROWS);
            ps.setLong(2, shape.oid());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /**
     * The statement's transaction committed: the captures it used are entries now (their row
     * counts are written here, in autocommit, rather than counted under the statement's lock).
     */
    private void committed(Connection c, int step) throws SQLException {
        List<ColumnCapture> used = captures.remove(step);
        if (used == null) {
            return;
        }
        for (ColumnCapture capture : used) {
            if (capture.live(c)) {
                // The statement's transaction did not use it (the table had changed by then).
                capture.drop(c);
                continue;
            }
            capture.adopted(c);
            String qualified = Identifiers.qualified(index.archiveSchema(), capture.archive);
            try (java.sql.Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select count(*), pg_total_relation_size('" + qualified.replace("'", "''")
                         + "'::regclass) from " + qualified)) {
                if (rs.next()) {
                    index.counted(c, capture.id, rs.getLong(1), rs.getLong(2));
                }
            }
        }
    }

    /**
     * After the transaction of these steps committed, or failed for good: the captures it used
     * become entries ({@link #committed}), the rest are dropped ({@link #abandon}). On the failure
     * path a failure to drop is returned as a warning, not thrown: the failure being reported is
     * the one that matters, and the next run's sweep drops what is left.
     *
     * @return warnings
     */
    public List<String> settle(Connection c, List<Integer> steps, boolean committed) throws SQLException {
        if (committed) {
            for (int step : steps) {
                committed(c, step);
            }
            abandon(c);
            return List.of();
        }
        try {
            abandon(c);
            return List.of();
        } catch (SQLException e) {
            return List.of("could not drop an unused archive capture: " + dev.reverso.Database.serverMessage(e));
        }
    }

    /** Drops the captures made ahead that no committed statement used (the migration failed or stopped), in autocommit. */
    private void abandon(Connection c) throws SQLException {
        SQLException first = null;
        for (List<ColumnCapture> list : captures.values()) {
            for (ColumnCapture capture : list) {
                try {
                    capture.drop(c);
                } catch (SQLException e) {
                    first = first == null ? e : first;
                }
            }
        }
        captures.clear();
        if (first != null) {
            throw first;
        }
    }

    /** Drops the capture triggers, functions and unused archive tables a run that died left behind. */
    public void sweep(Connection c) throws SQLException {
        ColumnCapture.sweep(c, index);
    }

    /**
     * CREATE SCHEMA needs CREATE on the database even with IF NOT EXISTS: only ask when it is
     * missing. One that is there must be ours (see {@link ArchiveIndex#untrustedSchema}).
     */
    private void ensureSchema(Connection c) throws SQLException {
        Optional<String> untrusted = index.untrustedSchema(c);
        if (untrusted.isPresent()) {
            throw new SQLException(untrusted.get(), "42501");
        }
        try (PreparedStatement ps = c.prepareStatement("select 1 from pg_namespace where nspname = ?")) {
            ps.setString(1, index.archiveSchema());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (java.sql.Statement st = c.createStatement()) {
            st.execute("create schema if not exists " + Identifiers.quote(index.archiveSchema()));
            // Nobody but its owner reaches into it (the tables are sealed as well).
            st.execute("revoke all on schema " + Identifiers.quote(index.archiveSchema()) + " from public");
        }
    }

    /** An archive is readable by no one who could not read the original: see {@link Dependents#seal}. */
    private void seal(Connection c, String archive) throws SQLException {
        try (java.sql.Statement st = c.createStatement()) {
            for (String ddl : Dependents.seal(c, Identifiers.qualified(index.archiveSchema(), archive))) {
                st.execute(ddl);
            }
        }
    }

    /** Archives what {@code statement} (step {@code step} of {@code version}) will destroy, knowing no earlier statement. */
    public Prepared prepare(Connection c, String version, int step, Statement statement) throws SQLException {
        return prepare(c, version, step, statement, List.of());
    }

    /**
     * Archives what {@code statement} (step {@code step} of {@code version}) will destroy.
     *
     * @param earlier the statements of the same migration before it: an UPDATE of columns one of
     *                them added destroys nothing the application had, and copies nothing ({@link Earlier})
     */
    public Prepared prepare(Connection c, String version, int step, Statement statement, List<Statement> earlier)
            throws SQLException {
        List<Destruction> read = Destructions.of(statement);
        // The earlier statements are read only for a statement that destroys something: most destroy nothing.
        List<Destruction> destructions = read.isEmpty() ? read : Earlier.of(earlier).withoutBackfills(read);
        if (destructions.isEmpty()) {
            return new Prepared(statement.sql(), List.of(), List.of());
        }
        Work work = new Work(c, version, step, statement);
        // Archiving must never fail a migration that would succeed without it: its work runs under
        // a savepoint, and a failure is undone, recorded as not archived, and the statement runs as written.
        Savepoint savepoint = c.getAutoCommit() ? null : c.setSavepoint();
        try {
            for (Destruction d : destructions) {
                work.archive(d);
            }
            work.moveTables();
        } catch (SQLException e) {
            if (propagates(e) || savepoint == null) {
                // Same SQLSTATE, so a lock timeout while archiving is retried like any other.
                throw new SQLException("archiving the data it destroys failed: " + dev.reverso.Database.serverMessage(e),
                        e.getSQLState(), e);
            }
            return notArchived(c, savepoint, version, step, statement, destructions.get(0).table(),
                    dev.reverso.Database.serverMessage(e));
        } catch (RuntimeException e) {
            if (savepoint == null) {
                throw e;
            }
            return notArchived(c, savepoint, version, step, statement, destructions.get(0).table(), "internal error: " + e);
        }
        if (savepoint != null) {
            c.releaseSavepoint(savepoint);
        }
        return work.prepared();
    }

    /**
     * Failures that must fail the step: a lock timeout, a cancel (statement_timeout, the monitor)
     * and a deadlock, which the lock-timeout retry or the monitor act on.
     */
    static boolean propagates(SQLException e) {
        String state = e.getSQLState();
        return "55P03".equals(state) || "57014".equals(state) || "40P01".equals(state);
    }

    /** The archiving is undone and said: the statement then runs as it was written. */
    private Prepared notArchived(Connection c, Savepoint savepoint, String version, int step, Statement statement,
                                 TableName table, String why) throws SQLException {
        c.rollback(savepoint);
        String reason = FAILED + why.lines().findFirst().orElse("");
        Work note = new Work(c, version, step, statement);
        Savepoint beforeNote = c.setSavepoint();
        try {
            note.notArchived(table, reason);
            c.releaseSavepoint(beforeNote);
        } catch (SQLException e) {
            // Not even the note could be written: the warning is all there is.
            c.rollback(beforeNote);
            note.warnings.add("step " + step + " (" + note.summary() + ") is not archived: " + reason
                    + "; recording it failed too: " + dev.reverso.Database.serverMessage(e));
        }
        return new Prepared(statement.sql(), List.of(), note.warnings);
    }

    /** Records the rows and size of each archive a prepared statement filled, after it ran. */
    public void finish(Connection c, Prepared prepared) throws SQLException {
        for (Kept kept : prepared.entries()) {
            if (kept.table() == null || kept.rows() == COUNTED_AFTER_COMMIT) {
                continue;
            }
            String qualified = Identifiers.qualified(index.archiveSchema(), kept.table()).replace("'", "''");
            // A table moved whole can be huge: count it from the statistics, not by reading it under its lock.
            String rows = kept.kind() == ArchiveEntry.Kind.TABLE
                    ? "(select greatest(reltuples, 0)::bigint from pg_class where oid = '" + qualified + "'::regclass)"
                    : kept.rows() == COUNT_AFTER ? "(select count(*) from " + Identifiers.qualified(index.archiveSchema(), kept.table()) + ")"
                    : String.valueOf(kept.rows());
            try (java.sql.Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select " + rows + ", pg_total_relation_size('" + qualified + "'::regclass)")) {
                rs.next();
                index.counted(c, kept.id(), rs.getLong(1), rs.getLong(2));
            }
        }
    }

    /** How a table's rows are found again: by its key, or else by every column a restore does not write. */
    record Match(List<String> columns, boolean keyed) {
        static Match of(TableShape shape, List<String> restored) {
            if (!shape.key().isEmpty() && shape.key().stream().noneMatch(restored::contains)) {
                return new Match(shape.key(), true);
            }
            return new Match(shape.writable().stream().filter(col -> !restored.contains(col)).toList(), false);
        }
    }

    /** The archiving of one statement. */
    private final class Work {
        private final Connection c;
        private final String version;
        private final int step;
        private final Statement statement;
        private final List<Kept> entries = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();
        private String sql;
        private final List<String> tablesStillToDrop = new ArrayList<>();
        private final List<Destruction.DroppedTable> tablesToMove = new ArrayList<>();
        private boolean movedTables;
        private boolean dropCascade;
        private boolean dropIfExists;

        Work(Connection c, String version, int step, Statement statement) {
            this.c = c;
            this.version = version;
            this.step = step;
            this.statement = statement;
            this.sql = statement.sql();
        }

        Prepared prepared() {
            if (movedTables) {
                // What is left is dropped as the statement said: IF EXISTS and CASCADE keep their meaning.
                sql = tablesStillToDrop.isEmpty() ? null : "DROP TABLE " + (dropIfExists ? "IF EXISTS " : "")
                        + String.join(", ", tablesStillToDrop) + (dropCascade ? " CASCADE" : "");
            }
            return new Prepared(sql, entries, warnings);
        }

        void archive(Destruction d) throws SQLException {
            if (d.table() != null && TableShape.temporary(c, d.table())) {
                // A temporary table does not outlive its session: nothing of it is kept, and a DROP drops it as written.
                if (d instanceof Destruction.DroppedTable dt) {
                    movedTables = true;
                    dropCascade |= dt.cascade();
                    dropIfExists |= dt.ifExists();
                    tablesStillToDrop.add(dt.table().sql());
                }
                return;
            }
            if (d instanceof Destruction.DroppedColumn dc) {
                column(dc);
            } else if (d instanceof Destruction.ChangedType ct) {
                type(ct);
            } else if (d instanceof Destruction.DroppedTable dt) {
                tablesToMove.add(dt);
            } else if (d instanceof Destruction.Truncated tr) {
                truncated(tr);
            } else if (d instanceof Destruction.DeletedRows dr) {
                deleted(dr);
            } else if (d instanceof Destruction.UpdatedRows ur) {
                updated(ur);
            } else if (d instanceof Destruction.Unbounded u) {
                if (mode == Archiving.WHOLE_TABLE_WHEN_UNBOUNDED && u.table() != null) {
                    wholeTable(u);
                } else {
                    notArchived(u.table(), u.reason() + (u.table() == null ? "" : "; pass --archive-table to keep the whole table"));
                }
            }
        }

        private void column(Destruction.DroppedColumn d) throws SQLException {
            Optional<TableShape> found = TableShape.of(c, d.table());
            if (found.isEmpty() || found.get().column(d.column()).isEmpty()) {
                return;
            }
            TableShape shape = found.get();
            TableShape.Column col = shape.column(d.column()).get();
            List<String> recreate = Dependents.ofColumn(c, shape, col.name());
            List<ArchiveEntry.SequencePosition> sequences = Dependents.sequences(c, shape, List.of(col.name()));
            if (col.generated()) {
                record(ArchiveEntry.Kind.COLUMN, shape, null, detail(col.name(), col, List.of(), false, List.of(col.name()),
                        recreate, sequences, "a generated column: its values are computed again when it is put back"), 0);
                return;
            }
            keepColumn(ArchiveEntry.Kind.COLUMN, shape, col, recreate, sequences, null);
        }

        /** A column's values with what finds their rows again, writers held off until the statement has run. */
        private void keepColumn(ArchiveEntry.Kind kind, TableShape shape, TableShape.Column col, List<String> recreate,
                                List<ArchiveEntry.SequencePosition> sequences, String note) throws SQLException {
            Match match = Match.of(shape, List.of(col.name()));
            Optional<ColumnCapture> ahead = capturedAhead(shape, col);
            if (ahead.isPresent()) {
                // Copied already; the triggers kept it current until now, and the lock the drop of
                // the triggers takes keeps every writer out until this transaction ends.
                ColumnCapture capture = ahead.get();
                // The entry first, then the lock: writing it (its JSON, the first time in a JVM,
                // takes tens of ms) must not be time the application waits for.
                index.insert(c, new ArchiveEntry(capture.id, version, step, kind, shape.schema(), shape.name(), capture.archive,
                        detail(col.name(), col, match.columns(), match.keyed(), List.of(col.name()), recreate, sequences, note),
                        capture.copied, 0, null, null, null));
                capture.adopt(c);
                entries.add(new Kept(capture.id, capture.archive, kind, COUNTED_AFTER_COMMIT));
                return;
            }
            // Never captured ahead under row-level security (capturable): copied here, every row or none.
            RowSecurity visibility = RowSecurity.lift(c, shape);
            if (visibility == RowSecurity.SOME) {
                notArchived(new TableName(shape.schema(), shape.name()), hidden(shape));
                return;
            }
            long id = index.nextId(c);
            String archive = ArchiveNames.of(version, shape.name(), col.name(), id);
            holdWrites(shape);
            List<String> kept = new ArrayList<>(match.columns());
            kept.add(col.name());
            long rows = copy(archive, "select " + StoredColumns.of(c, shape.oid()).select(kept, "") + " from " + qualified(shape));
            visibility.putBack(c, shape);
            insert(id, kind, shape, archive, detail(col.name(), col, match.columns(), match.keyed(), List.of(col.name()), recreate,
                    sequences, note), rows);
        }

        /** The capture made ahead for this column of this table by this step, if its triggers are still live. */
        private Optional<ColumnCapture> capturedAhead(TableShape shape, TableShape.Column col) throws SQLException {
            for (ColumnCapture capture : captures.getOrDefault(step, List.of())) {
                if (capture.shape.oid() == shape.oid() && capture.column.name().equals(col.name())
                        && capture.column.type().equals(col.type()) && capture.key.equals(shape.key()) && capture.live(c)) {
                    return Optional.of(capture);
                }
            }
            return Optional.empty();
        }

        private void type(Destruction.ChangedType d) throws SQLException {
            Optional<TableShape> found = TableShape.of(c, d.table());
            if (found.isEmpty() || found.get().column(d.column()).isEmpty()) {
                return;
            }
            TableShape shape = found.get();
            TableShape.Column col = shape.column(d.column()).get();
            if (col.generated()) {
                return;
            }
            Optional<String> lossless = d.using() ? Optional.empty() : Widening.lossless(col.type(), d.newType());
            if (lossless.isPresent()) {
                record(ArchiveEntry.Kind.TYPE, shape, null, detail(col.name(), col, List.of(), false, List.of(col.name()),
                        List.of(), List.of(), lossless.get()), 0);
                return;
            }
            keepColumn(ArchiveEntry.Kind.TYPE, shape, col, List.of(), List.of(), d.using() ? "USING expression" : "to " + d.newType());
        }

        /**
         * The tables of a DROP TABLE, moved into the archive. One that others in the same statement
         * still reference waits until they are moved (their foreign keys go with them), so
         * {@code DROP TABLE parent, child} moves both as PostgreSQL drops both; what still has
         * dependents at the end is left to the DROP, which refuses it in its own words.
         */
        void moveTables() throws SQLException {
            List<Destruction.DroppedTable> waiting = new ArrayList<>(tablesToMove);
            boolean moved = true;
            while (moved && !waiting.isEmpty()) {
                moved = false;
                for (var it = waiting.iterator(); it.hasNext(); ) {
                    if (table(it.next())) {
                        it.remove();
                        moved = true;
                    }
                }
            }
            for (Destruction.DroppedTable d : waiting) {
                // Usually PostgreSQL refuses it and nothing is kept; should it drop it (its dependents
                // dropped as written in the same statement), the history says it was not archived.
                tablesStillToDrop.add(qualified(TableShape.of(c, d.table()).orElseThrow()));
                notArchived(d.table(), "objects that depend on it and were not moved into the archive are dropped with it;"
                        + " take a snapshot (reverso snapshot) before dropping it");
            }
        }

        /** Moves one dropped table into the archive, or leaves it to the DROP; false when its dependents hold it for now. */
        private boolean table(Destruction.DroppedTable d) throws SQLException {
            movedTables = true;
            dropCascade |= d.cascade();
            dropIfExists |= d.ifExists();
            Optional<TableShape> found = TableShape.of(c, d.table());
            if (found.isEmpty()) {
                if (!d.ifExists()) {
                    tablesStillToDrop.add(d.table().sql());
                    return true;
                }
                // Nothing is dropped, and the history says so: a rollback has nothing to bring back.
                long id = index.nextId(c);
                index.insert(c, new ArchiveEntry(id, version, step, ArchiveEntry.Kind.TABLE,
                        d.table().schema() == null ? "" : d.table().schema(), d.table().name(), null,
                        detail(null, null, List.of(), false, List.of(), List.of(), List.of(), NO_SUCH_TABLE), 0, 0, null, null, null));
                return true;
            }
            TableShape shape = found.get();
            if (shape.partition()) {
                tablesStillToDrop.add(qualified(shape));
                notArchived(d.table(), "a partitioned table, a partition or a table with inheritance children is not moved"
                        + " into the archive; take a snapshot (reverso snapshot) before dropping it");
                return true;
            }
            Dependents.OfTable dependents = Dependents.ofTable(c, shape);
            List<String> unknown = Dependents.unknownDependents(c, shape);
            if (!d.cascade() && (!dependents.isEmpty() || !unknown.isEmpty())) {
                // PostgreSQL refuses this DROP, unless what depends on it goes in the same statement.
                return false;
            }
            if (!unknown.isEmpty()) {
                // CASCADE drops them and the archive could not bring them back: dropped as written.
                tablesStillToDrop.add(qualified(shape));
                notArchived(d.table(), "CASCADE also drops what Reverso cannot recreate (" + String.join(", ", unknown)
                        + "); take a snapshot (reverso snapshot) before dropping it");
                return true;
            }
            for (String drop : dependents.drops()) {
                execute(drop);
            }
            // The archived table must be inert: nothing of it that live statements could reach
            // (foreign keys both ways, triggers, rules, policies) stays; what restores it is recorded.
            Dependents.OfTable own = Dependents.own(c, shape);
            for (String drop : own.drops()) {
                execute(drop);
            }
            // Nor may it hold on to the application's types and functions: a migration that drops
            // them next (DROP TABLE t; DROP TYPE t_status) would be refused because of the archive.
            Dependents.OfTable typed = Dependents.typeFree(c, shape, StoredColumns.of(c, shape.oid()));
            for (String drop : typed.drops()) {
                execute(drop);
            }
            List<ArchiveEntry.SequencePosition> sequences = Dependents.sequences(c, shape, shape.writable());
            long id = index.nextId(c);
            String archive = ArchiveNames.of(version, shape.name(), null, id);
            // Index and sequence names are unique per schema: give them the archive's name so that
            // two archived tables never clash, and keep the old names to give them back.
            List<String> renames = new ArrayList<>();
            int n = 0;
            for (Dependents.Owned owned : Dependents.owned(c, shape)) {
                String temporary = ArchiveNames.part(archive, ++n);
                execute("alter " + owned.kind() + " " + Identifiers.qualified(shape.schema(), owned.name()) + " rename to "
                        + Identifiers.quote(temporary));
                renames.add("alter " + owned.kind() + " %s." + Identifiers.quote(temporary) + " rename to "
                        + Identifiers.quote(owned.name()));
            }
            ensureSchema();
            execute("alter table " + qualified(shape) + " rename to " + Identifiers.quote(archive));
            execute("alter table " + Identifiers.qualified(shape.schema(), archive) + " set schema "
                    + Identifiers.quote(index.archiveSchema()));
            seal(archive);
            List<String> recreate = new ArrayList<>(renames);
            recreate.addAll(typed.recreate());
            recreate.addAll(own.recreate());
            recreate.addAll(dependents.recreate());
            insert(id, ArchiveEntry.Kind.TABLE, shape, archive, detail(null, null, shape.key(), !shape.key().isEmpty(),
                    shape.writable(), recreate, sequences, "moved whole, with its indexes, constraints,"
                            + " defaults, sequences and comments; its foreign keys, triggers, rules, policies and grants"
                            + " are recreated when it is moved back"), 0);
            return true;
        }

        private void truncated(Destruction.Truncated d) throws SQLException {
            Optional<TableShape> found = TableShape.of(c, d.table());
            if (found.isEmpty()) {
                return;
            }
            List<TableShape> tables = new ArrayList<>();
            if (d.cascade()) {
                for (long oid : Dependents.referencingTables(c, found.get().oid())) {
                    Dependents.shape(c, oid).ifPresent(tables::add);
                }
            }
            tables.add(found.get());
            for (TableShape shape : tables) {
                if (alreadyArchived(shape)) {
                    continue;
                }
                RowSecurity visibility = RowSecurity.lift(c, shape);
                if (visibility == RowSecurity.SOME) {
                    notArchived(new TableName(shape.schema(), shape.name()), hidden(shape));
                    continue;
                }
                List<ArchiveEntry.SequencePosition> sequences = d.restartIdentity()
                        ? Dependents.sequences(c, shape, shape.writable()) : List.of();
                long id = index.nextId(c);
                String archive = ArchiveNames.of(version, shape.name(), null, id);
                holdWrites(shape);
                long rows = copy(archive, "select " + all(shape) + " from " + qualified(shape));
                visibility.putBack(c, shape);
                insert(id, ArchiveEntry.Kind.ROWS, shape, archive, detail(null, null, shape.key(), !shape.key().isEmpty(),
                        shape.writable(), List.of(), sequences, "TRUNCATE"), rows);
            }
        }

        private final List<Long> archivedTables = new ArrayList<>();

        private boolean alreadyArchived(TableShape shape) {
            if (archivedTables.contains(shape.oid())) {
                return true;
            }
            archivedTables.add(shape.oid());
            return false;
        }

        private void deleted(Destruction.DeletedRows d) throws SQLException {
            Optional<TableShape> found = TableShape.of(c, d.table());
            if (found.isEmpty()) {
                return;
            }
            TableShape shape = found.get();
            long id = index.nextId(c);
            String archive = ArchiveNames.of(version, shape.name(), null, id);
            String all = all(shape);
            copy(archive, "select " + all + " from " + qualified(shape) + " with no data");
            String target = Identifiers.qualified(index.archiveSchema(), archive);
            // The rows the DELETE really deletes, handed over as it deletes them: no second reading.
            // The statement's own CTEs (they only read) come first, for the DELETE to refer to.
            sql = d.with().map(w -> w + ",\n").orElse("WITH ") + "reverso_deleted AS (" + d.delete() + "\nRETURNING "
                    + d.reference() + ".*)"
                    + " INSERT INTO " + target + " SELECT " + all + " FROM reverso_deleted";
            insert(id, ArchiveEntry.Kind.ROWS, shape, archive, detail(null, null, shape.key(), !shape.key().isEmpty(),
                    shape.writable(), List.of(), List.of(), "DELETE"), COUNT_AFTER);
        }

        private void updated(Destruction.UpdatedRows d) throws SQLException {
            Optional<TableShape> found = TableShape.of(c, d.table());
            if (found.isEmpty()) {
                return;
            }
            TableShape shape = found.get();
            List<String> columns = d.columns().stream().filter(col -> shape.column(col).isPresent()).toList();
            if (columns.isEmpty()) {
                return;
            }
            if (shape.key().isEmpty()) {
                notArchived(d.table(), "the table has no key, so the rows an UPDATE changes cannot be found again to put"
                        + " their values back; give it a primary key, or take a snapshot (reverso snapshot) first");
                return;
            }
            Match match = Match.of(shape, columns);
            long id = index.nextId(c);
            String archive = ArchiveNames.of(version, shape.name(), null, id);
            // Only what a restore reads (the key or the matching columns, and the columns it puts
            // back): a copy of the whole row would also copy columns the UPDATE leaves alone.
            List<String> kept = new ArrayList<>(match.columns());
            columns.stream().filter(col -> !kept.contains(col)).forEach(kept::add);
            StoredColumns stored = StoredColumns.of(c, shape.oid());
            copy(archive, "select " + stored.select(kept, "") + " from " + qualified(shape) + " with no data");
            String reference = d.alias().orElse(Identifiers.quote(shape.name()));
            String condition = d.from().isPresent()
                    ? "exists (select 1 from " + d.from().get() + d.where().map(w -> " where " + w).orElse("") + ")"
                    : d.where().orElse("true");
            // FOR UPDATE: the rows kept are the rows the UPDATE then changes, not a version another
            // transaction changes in between.
            long rows = update(d.with().map(w -> w + "\n").orElse("") + "insert into "
                    + Identifiers.qualified(index.archiveSchema(), archive) + " select "
                    + stored.select(kept, reference + ".") + " from " + d.table().sql() + d.alias().map(a -> " " + a).orElse("") + " where " + condition
                    + " for update of " + reference);
            insert(id, ArchiveEntry.Kind.VALUES, shape, archive, detail(null, null, match.columns(), match.keyed(), columns,
                    List.of(), List.of(), "UPDATE"), rows);
        }

        /** The whole table, for a change whose rows the statement does not bound: put back by key, rows and values. */
        private void wholeTable(Destruction.Unbounded u) throws SQLException {
            Optional<TableShape> found = TableShape.of(c, u.table());
            if (found.isEmpty()) {
                return;
            }
            TableShape shape = found.get();
            if (shape.key().isEmpty()) {
                notArchived(u.table(), u.reason() + "; the table has no key to put its rows back by");
                return;
            }
            long id = index.nextId(c);
            String archive = ArchiveNames.of(version, shape.name(), null, id);
            long rows = copy(archive, "select " + all(shape) + " from " + qualified(shape));
            List<String> columns = shape.writable().stream().filter(col -> !shape.key().contains(col)).toList();
            insert(id, ArchiveEntry.Kind.VALUES, shape, archive, detail(null, null, shape.key(), true, columns, List.of(),
                    List.of(), WHOLE_TABLE + " (" + u.reason() + ")"), rows);
        }

        private void notArchived(TableName table, String reason) throws SQLException {
            String schema = table == null ? "" : table.schema() == null ? "" : table.schema();
            String name = table == null ? "" : table.name();
            if (table != null) {
                Optional<TableShape> shape = TableShape.of(c, table);
                if (shape.isPresent()) {
                    schema = shape.get().schema();
                    name = shape.get().name();
                }
            }
            long id = index.nextId(c);
            index.insert(c, new ArchiveEntry(id, version, step, ArchiveEntry.Kind.NOT_ARCHIVED, schema, name, null,
                    detail(null, null, List.of(), false, List.of(), List.of(), List.of(), reason), 0, 0, null, null, null));
            warnings.add("step " + step + " (" + summary() + ") is not archived: " + reason);
        }

        private void record(ArchiveEntry.Kind kind, TableShape shape, String archive, ArchiveEntry.Detail detail, long rows)
                throws SQLException {
            insert(index.nextId(c), kind, shape, archive, detail, rows);
        }

        private void insert(long id, ArchiveEntry.Kind kind, TableShape shape, String archive, ArchiveEntry.Detail detail,
                            long rows) throws SQLException {
            index.insert(c, new ArchiveEntry(id, version, step, kind, shape.schema(), shape.name(), archive, detail,
                    Math.max(rows, 0), 0, null, null, null));
            entries.add(new Kept(id, archive, kind, rows));
        }

        private ArchiveEntry.Detail detail(String column, TableShape.Column definition, List<String> match, boolean keyed,
                                           List<String> columns, List<String> recreate,
                                           List<ArchiveEntry.SequencePosition> sequences, String note) {
            return new ArchiveEntry.Detail(summary(), column, definition, match, keyed, columns, recreate, sequences, note);
        }

        private String summary() {
            String flat = statement.sql().replaceAll("\\s+", " ").strip();
            return flat.length() <= 200 ? flat : flat.substring(0, 197) + "...";
        }

        /** Every column of the table, as the archive stores it. */
        private String all(TableShape shape) throws SQLException {
            return StoredColumns.of(c, shape.oid()).select(shape.columns().stream().map(TableShape.Column::name).toList(), "");
        }

        /** Creates an archive table from a query, creating the archive schema first; returns the rows copied. */
        private long copy(String archive, String query) throws SQLException {
            ensureSchema();
            long rows = update("create table " + Identifiers.qualified(index.archiveSchema(), archive) + " as " + query);
            // No other session sees the new table before the transaction commits, sealed by then.
            seal(archive);
            return rows;
        }

        private void seal(String archive) throws SQLException {
            Archiver.this.seal(c, archive);
        }

        /**
         * A write committed between the copy and the statement would be destroyed without being
         * archived: SHARE keeps writers out (readers go on) until the statement, which needs a
         * stronger lock anyway, has run. It waits under lock_timeout like the statement would.
         */
        private void holdWrites(TableShape shape) throws SQLException {
            execute("lock table " + qualified(shape) + " in share mode");
        }

        private String hidden(TableShape shape) {
            return "row-level security hides rows of " + qualified(shape) + " from the migrating role (it is subject to the"
                    + " table's policies), so a copy would keep only the rows it sees; run it as the table's owner, a"
                    + " superuser or a role with BYPASSRLS to archive it, or take a snapshot (reverso snapshot) first";
        }

        private void ensureSchema() throws SQLException {
            Archiver.this.ensureSchema(c);
        }

        private void execute(String ddl) throws SQLException {
            update(ddl);
        }

        private long update(String sql) throws SQLException {
            try (java.sql.Statement st = c.createStatement()) {
                st.setEscapeProcessing(false);
                st.execute(sql);
                return Math.max(0, st.getUpdateCount());
            }
        }
    }

    private static String qualified(TableShape shape) {
        return Identifiers.qualified(shape.schema(), shape.name());
    }
}
