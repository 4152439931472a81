package dev.reverso.archive;

import dev.reverso.sql.Identifiers;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Puts a migration's archived data back during its rollback. The archives are restored newest
 * first, each as soon as the down SQL has recreated what it goes into (so a down's later
 * statements, such as a SET NOT NULL, can rely on the values being back); what is left when the
 * down has run is restored at the end: a dropped table nobody recreated is moved back whole.
 * Each restore runs under a savepoint on the migration's connection, in its transaction, and
 * what it could not put back is said, not silently skipped.
 */
public final class Restorer {

    private final ArchiveIndex index;
    private final Connection c;
    private final List<ArchiveEntry> waiting;
    private final boolean moveBack;
    private final List<String> outcomes = new ArrayList<>();
    /** The entries restored into a table the down recreated, whose views come back at the end. */
    private final List<ArchiveEntry> restored = new ArrayList<>();
    private List<ArchiveEntry> waitingAtCheckpoint;
    private List<String> outcomesAtCheckpoint = List.of();
    /** Large column restores left for after the down's transaction, in batches ({@link #restoreDeferred}). */
    private final List<ArchiveEntry> deferred = new ArrayList<>();
    private List<ArchiveEntry> deferredAtCheckpoint = List.of();
    /** The down's statements not run yet: a restore they may rely on is not deferred. */
    private List<dev.reverso.sql.Statement> later = List.of();

    /**
     * Archives of at least this many rows put back into a column the down has just added (empty,
     * nullable, no default) are restored after the down's transaction commits, in batches: inside
     * it, one UPDATE of a million rows held the ADD COLUMN's ACCESS EXCLUSIVE lock for seconds and
     * stopped all traffic to the table.
     */
    static final long DEFER_FROM_ROWS = 20_000;

    /** Archive pages per batch of a deferred restore (a page holds a hundred or more archived values; a batch holds the row locks of its rows until it commits, so it stays small). */
    private static final int PAGES_PER_BATCH = 4;
    private List<ArchiveEntry> restoredAtCheckpoint = List.of();

    /**
     * @param entries the migration's archive entries not yet restored, oldest first
     */
    public Restorer(ArchiveIndex index, Connection c, List<ArchiveEntry> entries) {
        this(index, c, entries, true);
    }

    /**
     * @param entries   the migration's archive entries not yet restored, oldest first
     * @param moveBack  whether a dropped table that the down did not recreate is moved back at the
     *                  end: true for a down Reverso derived (moving it back is how it undoes the
     *                  DROP), false for the migration's own down, which decides what exists after
     *                  it (a down that does not recreate a table leaves it dropped, as psql would;
     *                  its rows stay in the archive)
     */
    public Restorer(ArchiveIndex index, Connection c, List<ArchiveEntry> entries, boolean moveBack) {
        this.index = index;
        this.c = c;
        this.moveBack = moveBack;
        List<ArchiveEntry> newestFirst = new ArrayList<>(entries.stream()
                .filter(e -> e.restoredAt() == null && e.kind() != ArchiveEntry.Kind.NOT_ARCHIVED).toList());
        java.util.Collections.reverse(newestFirst);
        this.waiting = newestFirst;
        this.waitingAtCheckpoint = List.copyOf(newestFirst);
    }

    /** What is restored so far is committed (or about to be tried as one transaction). */
    public void checkpoint() {
        waitingAtCheckpoint = List.copyOf(waiting);
        outcomesAtCheckpoint = List.copyOf(outcomes);
        deferredAtCheckpoint = List.copyOf(deferred);
        restoredAtCheckpoint = List.copyOf(restored);
    }

    /**
     * Back to the checkpoint: the transaction was rolled back (a lock timeout) and will be tried
     * again, its restores included.
     */
    public void backToCheckpoint() {
        waiting.clear();
        waiting.addAll(waitingAtCheckpoint);
        outcomes.clear();
        outcomes.addAll(outcomesAtCheckpoint);
        deferred.clear();
        deferred.addAll(deferredAtCheckpoint);
        restored.clear();
        restored.addAll(restoredAtCheckpoint);
    }

    /** The down's statements still to run after the one that just ran: a restore they may rely on is done at once. */
    public void later(List<dev.reverso.sql.Statement> statements) {
        this.later = statements;
    }

    /** What was restored, and what could not be, one line each. */
    public List<String> outcomes() {
        return List.copyOf(outcomes);
    }

    /** Restores, newest first, every archive whose target the down has recreated by now; stops at the first that waits. */
    public void afterStep() throws SQLException {
        while (!waiting.isEmpty()) {
            ArchiveEntry next = waiting.get(0);
            Optional<TableShape> target = TableShape.exactly(c, next.sourceSchema(), next.sourceTable());
            if (!ready(next, target)) {
                return;
            }
            waiting.remove(0);
            restore(next, target.get());
        }
    }

    /** At the end of the down: restores what is left, moving dropped tables back, and says what it could not. */
    public void finish() throws SQLException {
        afterStep();
        while (!waiting.isEmpty()) {
            ArchiveEntry next = waiting.remove(0);
            Optional<TableShape> target = TableShape.exactly(c, next.sourceSchema(), next.sourceTable());
            List<String> gone = target.isEmpty() || next.kind() != ArchiveEntry.Kind.VALUES ? List.of()
                    : next.detail().columns().stream().filter(col -> target.get().column(col).isEmpty()).toList();
            if (next.kind() == ArchiveEntry.Kind.TABLE && next.archiveTable() == null) {
                done(next, "nothing to restore: " + next.detail().note());
            } else if (ready(next, target)) {
                restore(next, target.get());
            } else if (next.kind() == ArchiveEntry.Kind.TABLE && target.isEmpty() && !moveBack) {
                done(next, "not restored: the down does not create " + next.sourceSchema() + "." + next.sourceTable()
                        + " again, so it stays dropped as the down says; its rows stay in " + archived(next));
            } else if (next.kind() == ArchiveEntry.Kind.TABLE && target.isEmpty()) {
                Optional<String> untrusted = untrusted(next);
                if (untrusted.isPresent()) {
                    done(next, "not restored: " + untrusted.get() + "; the data stays in " + archived(next));
                } else {
                    moveBack(next);
                }
            } else if (!gone.isEmpty() && gone.size() < next.detail().columns().size() && next.archiveTable() != null) {
                // The columns the down kept get their values back; those it dropped need none.
                restore(withColumns(next, next.detail().columns().stream().filter(col -> !gone.contains(col)).toList()),
                        target.get(), "; " + dropped(next, gone));
            } else {
                done(next, notRestored(next, target, gone));
            }
            afterStep();
        }
        views();
    }

    /**
     * The views CASCADE dropped with a column or table whose data came back into a table the down
     * recreated: made again when the down did not make them itself. Last, so a down statement that
     * creates one of them does not find it there already.
     */
    private void views() throws SQLException {
        for (ArchiveEntry e : restored) {
            List<String> failed = new ArrayList<>();
            for (String ddl : e.detail().recreate()) {
                if (ddl.startsWith(Dependents.VIEW_BLOCK)) {
                    run(ddl).ifPresent(failed::add);
                }
            }
            if (!failed.isEmpty()) {
                outcomes.add(e.version() + " step " + e.step() + ": views not recreated: " + String.join("; ", failed));
            }
        }
    }

    /** Why an entry that was never ready is not restored; an entry with nothing archived needs nothing. */
    private String notRestored(ArchiveEntry e, Optional<TableShape> target, List<String> gone) {
        if (e.archiveTable() == null) {
            return nothingToRestore(e);
        }
        if (!gone.isEmpty()) {
            // Values of columns the down drops by its own will: the entry is not needed.
            return "not restored: " + dropped(e, gone);
        }
        String column = e.detail().column();
        TableShape.Column definition = e.detail().definition();
        String why = target.isEmpty() ? "table " + e.sourceSchema() + "." + e.sourceTable() + " does not exist"
                : column != null && target.get().column(column).isEmpty() ? "column " + e.source() + " does not exist after the down"
                : definition != null ? "column " + e.source() + " is not of type " + definition.type() + " after the down"
                : "column " + e.source() + " is not as it was before the up after the down";
        return "not restored: " + why + "; the data stays in " + archived(e);
    }

    private static String dropped(ArchiveEntry e, List<String> gone) {
        String names = gone.stream().map(col -> e.sourceSchema() + "." + e.sourceTable() + "." + col)
                .collect(Collectors.joining(", "));
        return gone.size() == 1 ? "column " + names + " no longer exists after the down (the down drops it)"
                : "columns " + names + " no longer exist after the down (the down drops them)";
    }

    private static ArchiveEntry withColumns(ArchiveEntry e, List<String> columns) {
        ArchiveEntry.Detail d = e.detail();
        return new ArchiveEntry(e.id(), e.version(), e.step(), e.kind(), e.sourceSchema(), e.sourceTable(), e.archiveTable(),
                new ArchiveEntry.Detail(d.statement(), d.column(), d.definition(), d.match(), d.keyed(), columns, d.recreate(),
                        d.sequences(), d.note()), e.rows(), e.bytes(), e.createdAt(), e.restoredAt(), e.restoreNote());
    }

    private static String nothingToRestore(ArchiveEntry e) {
        String note = e.detail().note();
        return note == null ? "nothing to restore" : e.kind() == ArchiveEntry.Kind.TYPE ? "nothing to restore (" + note + ")"
                : "nothing to restore: " + note;
    }

    private boolean ready(ArchiveEntry e, Optional<TableShape> target) {
        if (target.isEmpty()) {
            return false;
        }
        TableShape t = target.get();
        String column = e.detail().column();
        TableShape.Column definition = e.detail().definition();
        return switch (e.kind()) {
            case COLUMN -> column != null && t.column(column).isPresent();
            // Without the old definition the type cannot be compared: the column being there is all there is to wait for.
            case TYPE -> column != null && t.column(column)
                    .map(col -> definition == null || col.type().equals(definition.type())).orElse(false);
            case VALUES -> e.detail().columns().stream().allMatch(col -> t.column(col).isPresent());
            // Rows go back once the down has written its own: a down that recreates a table and
            // seeds it (INSERT INTO category VALUES ...) would otherwise fail on the keys the archive
            // put back first; at the end, archived rows whose key the down wrote are left out and counted.
            case TABLE, ROWS -> !laterNames(t, true);
            case NOT_ARCHIVED -> false;
        };
    }

    /**
     * Whether a statement of the down still to run names this table (by its name's token, plain or
     * quoted); with {@code writes}, only a statement that writes rows into it (INSERT, COPY, MERGE).
     */
    private boolean laterNames(TableShape table, boolean writes) {
        String quoted = Identifiers.quote(table.name());
        for (dev.reverso.sql.Statement s : later) {
            List<dev.reverso.sql.Token> tokens = s.tokens();
            if (tokens.isEmpty() || writes && !(tokens.get(0).isWord("INSERT") || tokens.get(0).isWord("COPY")
                    || tokens.get(0).isWord("MERGE"))) {
                continue;
            }
            for (dev.reverso.sql.Token t : tokens) {
                if (t.text().equalsIgnoreCase(table.name()) || t.text().equals(quoted)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void restore(ArchiveEntry e, TableShape target) throws SQLException {
        restore(e, target, "");
    }

    private void restore(ArchiveEntry e, TableShape target, String remark) throws SQLException {
        if (e.archiveTable() == null) {
            done(e, nothingToRestore(e));
            return;
        }
        Optional<String> untrusted = untrusted(e);
        if (untrusted.isPresent()) {
            done(e, "not restored: " + untrusted.get() + "; the data stays in " + archived(e));
            return;
        }
        if (deferrable(e, target)) {
            deferred.add(e);
            index.deferred(c, e.id(), DEFERRED);
            // Its views need the column, not its values: made at the end of the down all the same.
            restored.add(e);
            return;
        }
        Savepoint savepoint = c.getAutoCommit() ? null : c.setSavepoint();
        try {
            // Row-level security would hide rows from the restore, or refuse them: lifted for an owner under FORCE.
            RowSecurity lifted = RowSecurity.lift(c, target);
            String note = switch (e.kind()) {
                case COLUMN, TYPE, VALUES -> values(e, target);
                case TABLE, ROWS -> rows(e, target);
                case NOT_ARCHIVED -> "";
            };
            if (lifted == RowSecurity.SOME) {
                note += "; row-level security applies to the restoring role on " + target.schema() + "." + target.name()
                        + ": rows its policies hide or refuse were not put back";
            }
            lifted.putBack(c, target);
            done(e, note + remark);
            restored.add(e);
        } catch (SQLException failure) {
            if (savepoint != null) {
                c.rollback(savepoint);
            }
            done(e, "not restored: " + failure.getMessage().lines().findFirst().orElse("") + "; the data stays in " + archived(e));
        }
    }

    /** The restore note of an entry whose restore was left for after the down's transaction, until it is done. */
    static final String DEFERRED = "restoring in batches after the down's transaction";

    /**
     * A large archive of a column's values, found again by key, going into a column the down
     * has just added (nullable, no default: NULL in every row, so a batch can tell a value still to
     * put back from one the application wrote since), which no later statement of the down names.
     */
    private boolean deferrable(ArchiveEntry e, TableShape target) throws SQLException {
        if (e.rows() < DEFER_FROM_ROWS || !e.detail().keyed() || e.detail().column() == null
                || e.kind() != ArchiveEntry.Kind.COLUMN && e.kind() != ArchiveEntry.Kind.TYPE) {
            return false;
        }
        Optional<TableShape.Column> col = target.column(e.detail().column());
        if (col.isEmpty() || col.get().notNull() || col.get().defaultSql() != null || col.get().generated()
                || !e.detail().match().stream().allMatch(k -> target.column(k).isPresent())) {
            return false;
        }
        if (laterNames(target, false)) {
            return false;
        }
        // Batches run in autocommit, where FORCE ROW LEVEL SECURITY cannot be lifted for them alone.
        if ("t".equals(oneString("select row_security_active(" + target.oid() + ")"))) {
            return false;
        }
        // Batches walk the archive by page (a TID range scan, PostgreSQL 14 and later).
        return Integer.parseInt(oneString("select current_setting('server_version_num')")) >= 140000;
    }

    /** Whether restores were left for after the down's transaction. */
    public boolean hasDeferred() {
        return !deferred.isEmpty();
    }

    /**
     * After the down's transaction committed, in autocommit: puts back the deferred values in
     * batches of archive pages, each a short UPDATE of the rows whose column is still NULL (a
     * value the application wrote since the down stays), the way a backfill goes.
     *
     * @param between called before each batch (the run's pacing and stop checks)
     */
    public void restoreDeferred(Archiver.Pacer between) throws SQLException {
        for (ArchiveEntry e : List.copyOf(deferred)) {
            restoreInBatches(index, c, e, between).ifPresent(outcomes::add);
            deferred.remove(e);
        }
    }

    /**
     * Finishes the deferred restores a run that died left (their note still says they are in
     * progress and their migration is rolled back), in batches.
     *
     * @return what each did
     */
    public static List<String> resumeDeferred(ArchiveIndex index, Connection c, Archiver.Pacer between) throws SQLException {
        List<String> notes = new ArrayList<>();
        for (ArchiveEntry e : index.all(c)) {
            if (e.restoredAt() == null && DEFERRED.equals(e.restoreNote())) {
                restoreInBatches(index, c, e, between).ifPresent(notes::add);
            }
        }
        return notes;
    }

    private static Optional<String> restoreInBatches(ArchiveIndex index, Connection c, ArchiveEntry e, Archiver.Pacer between)
            throws SQLException {
        Optional<TableShape> found = TableShape.exactly(c, e.sourceSchema(), e.sourceTable());
        String archive = Identifiers.qualified(index.archiveSchema(), e.archiveTable());
        String col = Identifiers.quote(e.detail().column());
        if (found.isEmpty() || found.get().column(e.detail().column()).isEmpty()) {
            String note = "not restored: " + e.source() + " is gone again; the data stays in " + archive;
            index.restored(c, e.id(), note);
            return Optional.of(e.version() + " step " + e.step() + ": " + note);
        }
        TableShape target = found.get();
        String table = Identifiers.qualified(target.schema(), target.name());
        String on = e.detail().match().stream().map(k -> "t." + Identifiers.quote(k) + " = "
                + StoredColumns.restored("a.", k, target)).collect(Collectors.joining(" and "));
        long pages;
        try (var st = c.createStatement(); var rs = st.executeQuery("select pg_relation_size('" + archive.replace("'", "''")
                + "'::regclass) / current_setting('block_size')::bigint")) {
            rs.next();
            pages = rs.getLong(1);
        }
        long updated = 0;
        try (var ps = c.prepareStatement("update " + table + " t set " + col + " = " + StoredColumns.restored("a.", e.detail().column(), target)
                + " from " + archive + " a"
                + " where a.ctid >= format('(%s,0)', ?::bigint)::tid and a.ctid < format('(%s,0)', ?::bigint)::tid and " + on
                + " and t." + col + " is null and a." + col + " is not null")) {
            for (long page = 0; page < pages; page += PAGES_PER_BATCH) {
                between.pace();
                ps.setLong(1, page);
                ps.setLong(2, page + PAGES_PER_BATCH);
                updated += ps.executeUpdate();
            }
        }
        String note = "restored " + updated + " values of " + e.source() + " in batches after the down committed";
        index.restored(c, e.id(), note);
        return Optional.of(e.version() + " step " + e.step() + ": " + note);
    }

    /** Puts values back into existing rows, found by key or, without one, by every other column. */
    private String values(ArchiveEntry e, TableShape target) throws SQLException {
        List<String> columns = e.detail().columns();
        List<String> match = e.detail().match().stream().filter(col -> target.column(col).isPresent()).toList();
        String archive = archived(e);
        String table = Identifiers.qualified(target.schema(), target.name());
        // An archive keeps the application's own types as text (StoredColumns): every value is cast back.
        String set = columns.stream().map(col -> Identifiers.quote(col) + " = " + StoredColumns.restored("a.", col, target))
                .collect(Collectors.joining(", "));
        long updated;
        if (e.detail().keyed()) {
            String on = match.stream().map(col -> "t." + Identifiers.quote(col) + " = " + StoredColumns.restored("a.", col, target))
                    .collect(Collectors.joining(" and "));
            updated = update("update " + table + " t set " + set + " from " + archive + " a where " + on);
        } else {
            String partition = match.isEmpty() ? "" : "partition by " + match.stream()
                    .map(col -> Identifiers.quote(col) + "::text").collect(Collectors.joining(", "));
            String on = match.stream().map(col -> "l." + Identifiers.quote(col) + "::text is not distinct from a."
                    + Identifiers.quote(col) + "::text").collect(Collectors.joining(" and "));
            String live = match.stream().map(col -> ", " + Identifiers.quote(col)).collect(Collectors.joining());
            // Rows alike in every other column are paired off one to one: the table's content, as
            // a multiset, is what it was.
            updated = update("with a as (select x.*, row_number() over (" + partition + ") as reverso_n from " + archive + " x),"
                    + " l as (select ctid as reverso_tid, row_number() over (" + partition + ") as reverso_n" + live
                    + " from " + table + ")"
                    + " update " + table + " t set " + set + " from a join l on " + (on.isEmpty() ? "" : on + " and ")
                    + "l.reverso_n = a.reverso_n where t.ctid = l.reverso_tid");
        }
        if (e.detail().note() != null && e.detail().note().startsWith(Archiver.WHOLE_TABLE)) {
            String keys = match.stream().map(Identifiers::quote).collect(Collectors.joining(", "));
            List<String> all = target.writable().stream().filter(col -> e.detail().match().contains(col) || columns.contains(col)).toList();
            String list = all.stream().map(Identifiers::quote).collect(Collectors.joining(", "));
            String values = all.stream().map(col -> StoredColumns.restored("a.", col, target)).collect(Collectors.joining(", "));
            long inserted = update("insert into " + table + " (" + list + ") overriding system value select " + values + " from "
                    + archive + " a where not exists (select 1 from " + table + " t where (" + match.stream().map(col -> "t."
                    + Identifiers.quote(col)).collect(Collectors.joining(", ")) + ") = (" + match.stream().map(col ->
                    StoredColumns.restored("a.", col, target)).collect(Collectors.joining(", ")) + "))");
            return "restored the whole table " + target.schema() + "." + target.name() + ": " + updated + " rows set back, "
                    + inserted + " deleted rows inserted again (by " + keys + ")";
        }
        long missing = e.rows() - updated;
        String what = e.kind() == ArchiveEntry.Kind.VALUES ? "rows' values (" + String.join(", ", columns) + ")"
                : "values of " + e.source();
        return "restored " + updated + " " + what + (missing > 0 ? "; " + missing + " archived rows have no row left"
                + " in " + target.schema() + "." + target.name() + " (deleted since) and stay in " + archive : "");
    }

    /** Inserts archived rows back; rows whose key is taken again are left as they are and counted. */
    private String rows(ArchiveEntry e, TableShape target) throws SQLException {
        TableShape archive = TableShape.exactly(c, index.archiveSchema(), e.archiveTable())
                .orElseThrow(() -> new SQLException("archive table " + archived(e) + " is gone (purged?)"));
        List<String> columns = target.writable().stream().filter(col -> archive.column(col).isPresent()).toList();
        List<String> lost = archive.columns().stream().map(TableShape.Column::name)
                .filter(col -> target.column(col).isEmpty()).toList();
        String list = columns.stream().map(Identifiers::quote).collect(Collectors.joining(", "));
        String values = columns.stream().map(col -> StoredColumns.restored("a.", col, target)).collect(Collectors.joining(", "));
        long inserted = update("insert into " + Identifiers.qualified(target.schema(), target.name()) + " (" + list + ")"
                + " overriding system value select " + values + " from " + archived(e) + " a on conflict do nothing");
        for (ArchiveEntry.SequencePosition s : e.detail().sequences()) {
            setSequence(target, s);
        }
        long skipped = e.rows() - inserted;
        return "restored " + inserted + " rows into " + target.schema() + "." + target.name()
                + (skipped > 0 ? "; " + skipped + " rows were not inserted: a row with the same key is there again" : "")
                + (lost.isEmpty() ? "" : "; column" + (lost.size() == 1 ? " " : "s ") + String.join(", ", lost)
                        + " not restored: the table has no such column now (the values stay in " + archived(e) + ")");
    }

    /** A sequence is put back where it was, or left where it is when it has moved further since. */
    private void setSequence(TableShape target, ArchiveEntry.SequencePosition s) throws SQLException {
        Optional<String> sequence = Optional.ofNullable(oneString("select pg_get_serial_sequence('"
                + Identifiers.qualified(target.schema(), target.name()).replace("'", "''") + "', '"
                + s.column().replace("'", "''") + "')"));
        if (sequence.isEmpty()) {
            return;
        }
        update("select setval('" + sequence.get().replace("'", "''") + "', greatest(" + s.lastValue() + ", (select last_value from "
                + sequence.get() + ")), " + s.isCalled() + " or (select last_value from " + sequence.get() + ") > " + s.lastValue() + ")");
    }

    /**
     * Moves a dropped table back from the archive, with its indexes and sequences, then recreates
     * what it had live (foreign keys both ways, triggers, rules, policies, grants, views). Each of
     * those runs on its own: one that fails (a trigger's function dropped since, a foreign key
     * whose parent rows were deleted meanwhile) is said in the note, and the table is back anyway.
     */
    private void moveBack(ArchiveEntry e) throws SQLException {
        String schema = Identifiers.quote(e.sourceSchema());
        update("alter table " + archived(e) + " set schema " + schema);
        update("alter table " + schema + "." + Identifiers.quote(e.archiveTable()) + " rename to " + Identifiers.quote(e.sourceTable()));
        List<String> failed = new ArrayList<>();
        Set<String> notAdded = new java.util.HashSet<>();
        for (String ddl : e.detail().recreate()) {
            boolean rename = ddl.startsWith("alter index %s.") || ddl.startsWith("alter sequence %s.");
            // Each under its own savepoint: a name taken again meanwhile (a later down made a table
            // with a serial of the same name) leaves that index or sequence under its archive name, said.
            Optional<String> failure = run(rename ? ddl.replaceFirst("%s", java.util.regex.Matcher.quoteReplacement(schema)) : ddl);
            if (failure.isEmpty()) {
                continue;
            }
            int add = ddl.indexOf(" add constraint ");
            if (add >= 0) {
                notAdded.add(ddl.substring(add + " add constraint ".length()).split(" ", 2)[0]);
            }
            int validate = ddl.indexOf(" validate constraint ");
            String constraint = validate < 0 ? null : ddl.substring(validate + " validate constraint ".length());
            failed.add(constraint == null ? failure.get() : notAdded.contains(constraint) ? "so constraint " + constraint
                    + " is not back" : "constraint " + constraint + " is back NOT VALID (" + failure.get() + ")");
        }
        done(e, "moved " + e.sourceSchema() + "." + e.sourceTable() + " back whole (" + e.rows() + " rows)"
                + (failed.isEmpty() ? "" : "; " + String.join("; ", failed)));
    }

    /** Runs one DDL of a restore under its own savepoint; the failure, on one line, when it fails. */
    private Optional<String> run(String ddl) throws SQLException {
        Savepoint savepoint = c.getAutoCommit() ? null : c.setSavepoint();
        try {
            update(ddl);
            if (savepoint != null) {
                c.releaseSavepoint(savepoint);
            }
            return Optional.empty();
        } catch (SQLException failure) {
            if (savepoint != null) {
                c.rollback(savepoint);
            }
            String summary = ddl.length() <= 120 ? ddl : ddl.substring(0, 117) + "...";
            return Optional.of(failure.getMessage().lines().findFirst().orElse("") + " (" + summary + ")");
        }
    }

    /**
     * An archive table is trusted only when the restoring role is a member of its owner: a table
     * another role put in its place (one that owns the archive schema, say) could hold forged data.
     * A superuser's is trusted, as a superuser can change any table anyway.
     */
    private Optional<String> untrusted(ArchiveEntry e) throws SQLException {
        try (var ps = c.prepareStatement("select pg_get_userbyid(t.relowner), current_user from pg_class t"
                + " where t.oid = to_regclass(?) and not pg_has_role(t.relowner, 'MEMBER')"
                + " and not (select rolsuper from pg_roles where oid = t.relowner)")) {
            ps.setString(1, archived(e));
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of("archive table " + archived(e) + " is owned by " + rs.getString(1)
                        + ", a role " + rs.getString(2) + " is not a member of, so it is not trusted") : Optional.empty();
            }
        }
    }

    private void done(ArchiveEntry e, String note) throws SQLException {
        index.restored(c, e.id(), note);
        outcomes.add(e.version() + " step " + e.step() + ": " + note);
    }

    private String archived(ArchiveEntry e) {
        if (e.archiveTable() == null) {
            return "nothing (no archive table)";
        }
        return Identifiers.qualified(index.archiveSchema(), e.archiveTable());
    }

    private String oneString(String sql) throws SQLException {
        try (var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private long update(String sql) throws SQLException {
        try (var st = c.createStatement()) {
            st.setEscapeProcessing(false);
            st.execute(sql);
            return Math.max(0, st.getUpdateCount());
        }
    }
}
