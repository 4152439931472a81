package dev.reverso.archive;

import dev.reverso.sql.Identifiers;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
    private final List<String> outcomes = new ArrayList<>();
    private List<ArchiveEntry> waitingAtCheckpoint;
    private List<String> outcomesAtCheckpoint = List.of();

    /**
     * @param entries the migration's archive entries not yet restored, oldest first
     */
    public Restorer(ArchiveIndex index, Connection c, List<ArchiveEntry> entries) {
        this.index = index;
        this.c = c;
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
            if (ready(next, target)) {
                restore(next, target.get());
            } else if (next.kind() == ArchiveEntry.Kind.TABLE && target.isEmpty()) {
                moveBack(next);
            } else {
                String why = target.isEmpty() ? "table " + next.sourceSchema() + "." + next.sourceTable() + " does not exist"
                        : next.detail().column() != null && target.get().column(next.detail().column()).isEmpty()
                        ? "column " + next.source() + " does not exist after the down"
                        : "column " + next.source() + " is not of type " + next.detail().definition().type() + " after the down";
                done(next, "not restored: " + why + "; the data stays in " + archived(next));
            }
            afterStep();
        }
    }

    private boolean ready(ArchiveEntry e, Optional<TableShape> target) {
        if (target.isEmpty()) {
            return false;
        }
        TableShape t = target.get();
        return switch (e.kind()) {
            case COLUMN -> t.column(e.detail().column()).isPresent();
            case TYPE -> t.column(e.detail().column()).map(col -> col.type().equals(e.detail().definition().type())).orElse(false);
            case VALUES -> e.detail().columns().stream().allMatch(col -> t.column(col).isPresent());
            case TABLE, ROWS -> true;
            case NOT_ARCHIVED -> false;
        };
    }

    private void restore(ArchiveEntry e, TableShape target) throws SQLException {
        if (e.archiveTable() == null) {
            done(e, e.kind() == ArchiveEntry.Kind.TYPE ? "nothing to restore (" + e.detail().note() + ")"
                    : "nothing to restore: " + e.detail().note());
            return;
        }
        Savepoint savepoint = c.getAutoCommit() ? null : c.setSavepoint();
        try {
            String note = switch (e.kind()) {
                case COLUMN, TYPE, VALUES -> values(e, target);
                case TABLE, ROWS -> rows(e, target);
                case NOT_ARCHIVED -> "";
            };
            done(e, note);
        } catch (SQLException failure) {
            if (savepoint != null) {
                c.rollback(savepoint);
            }
            done(e, "not restored: " + failure.getMessage().lines().findFirst().orElse("") + "; the data stays in " + archived(e));
        }
    }

    /** Puts values back into existing rows, found by key or, without one, by every other column. */
    private String values(ArchiveEntry e, TableShape target) throws SQLException {
        List<String> columns = e.detail().columns();
        List<String> match = e.detail().match().stream().filter(col -> target.column(col).isPresent()).toList();
        String archive = archived(e);
        String table = Identifiers.qualified(target.schema(), target.name());
        String set = columns.stream().map(col -> Identifiers.quote(col) + " = a." + Identifiers.quote(col))
                .collect(Collectors.joining(", "));
        long updated;
        if (e.detail().keyed()) {
            String on = match.stream().map(col -> "t." + Identifiers.quote(col) + " = a." + Identifiers.quote(col))
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
            long inserted = update("insert into " + table + " (" + list + ") overriding system value select " + list + " from "
                    + archive + " a where not exists (select 1 from " + table + " t where (" + match.stream().map(col -> "t."
                    + Identifiers.quote(col)).collect(Collectors.joining(", ")) + ") = (" + match.stream().map(col -> "a."
                    + Identifiers.quote(col)).collect(Collectors.joining(", ")) + "))");
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
        long inserted = update("insert into " + Identifiers.qualified(target.schema(), target.name()) + " (" + list + ")"
                + " overriding system value select " + list + " from " + archived(e) + " on conflict do nothing");
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

    /** Moves a dropped table back from the archive, with its indexes, sequences, foreign keys and views. */
    private void moveBack(ArchiveEntry e) throws SQLException {
        String schema = Identifiers.quote(e.sourceSchema());
        update("alter table " + archived(e) + " set schema " + schema);
        update("alter table " + schema + "." + Identifiers.quote(e.archiveTable()) + " rename to " + Identifiers.quote(e.sourceTable()));
        for (String ddl : e.detail().recreate()) {
            boolean rename = ddl.startsWith("alter index %s.") || ddl.startsWith("alter sequence %s.");
            update(rename ? ddl.replaceFirst("%s", java.util.regex.Matcher.quoteReplacement(schema)) : ddl);
        }
        done(e, "moved " + e.sourceSchema() + "." + e.sourceTable() + " back whole (" + e.rows() + " rows)");
    }

    private void done(ArchiveEntry e, String note) throws SQLException {
        index.restored(c, e.id(), note);
        outcomes.add(e.version() + " step " + e.step() + ": " + note);
    }

    private String archived(ArchiveEntry e) {
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
