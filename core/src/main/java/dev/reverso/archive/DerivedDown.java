package dev.reverso.archive;

import dev.reverso.sql.Identifiers;
import dev.reverso.sql.ObjectChange;
import dev.reverso.sql.ObjectKind;
import dev.reverso.sql.Statement;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The down of a migration that has none, derived from its up statements and what the archive
 * kept of them: each statement's inverse, newest first (DROP for CREATE, ADD COLUMN and the
 * archived values for DROP COLUMN, the old type and values for ALTER COLUMN TYPE, a move back for
 * DROP TABLE, archived rows for TRUNCATE, DELETE and UPDATE). A statement it cannot invert makes
 * the whole rollback impossible, and says why.
 */
public final class DerivedDown {

    /** What the rollback does about one up statement. */
    public sealed interface Reversal {
        int step();

        String statement();

        /** Undone by SQL Reverso wrote. */
        record Derived(int step, String statement, List<String> sql) implements Reversal { }

        /** Undone by putting archived data back (and, for a dropped column, by the SQL to re-add it). */
        record Restored(int step, String statement, List<String> sql, String what) implements Reversal { }

        /** Nothing to undo (a SET, a SELECT, a validation). */
        record Nothing(int step, String statement) implements Reversal { }

        /** Cannot be undone. */
        record Impossible(int step, String statement, String why) implements Reversal { }
    }

    private DerivedDown() {
    }

    /**
     * The reversal of each up statement, newest first.
     *
     * @param up      the up statements, in order, numbered from 1
     * @param entries the archive entries recorded when they ran
     */
    public static List<Reversal> of(List<UpStatement> up, List<ArchiveEntry> entries) {
        List<Reversal> out = new ArrayList<>();
        // What the statements before each one did, read once, in order: a long up is not read again per statement.
        Earlier before = Earlier.none();
        for (UpStatement statement : up) {
            out.add(reverse(statement, entries, before));
            before.saw(new TokenList(statement.statement()));
        }
        java.util.Collections.reverse(out);
        return out;
    }

    /** One up statement with its step number and what the classifier made of it. */
    public record UpStatement(int step, Statement statement, String command, Optional<ObjectChange> change, String summary) { }

    /** The SQL of the whole derived down, in order, when every statement could be reversed. */
    public static Optional<String> sql(List<Reversal> reversals) {
        if (reversals.stream().anyMatch(r -> r instanceof Reversal.Impossible)) {
            return Optional.empty();
        }
        List<String> sql = new ArrayList<>();
        for (Reversal r : reversals) {
            if (r instanceof Reversal.Derived d) {
                sql.addAll(d.sql());
            } else if (r instanceof Reversal.Restored rs) {
                sql.addAll(rs.sql());
            }
        }
        return Optional.of(String.join(";\n", sql) + (sql.isEmpty() ? "" : ";\n"));
    }

    private static Reversal reverse(UpStatement up, List<ArchiveEntry> entries, Earlier earlier) {
        List<ArchiveEntry> mine = entries.stream().filter(e -> e.step() == up.step()).toList();
        // As the archive judged it: the values of columns the migration added before, and what it
        // does to its own temporary tables (gone with its session), are nothing to undo.
        TokenList t = new TokenList(up.statement());
        List<Destruction> destroyed = Destructions.of(up.statement(), earlier);
        if (destroyed.isEmpty() && !Destructions.of(up.statement()).isEmpty() || Earlier.createsTemporary(t) != null
                || onTemporaryTable(t, earlier)) {
            return new Reversal.Nothing(up.step(), up.summary());
        }
        Optional<ArchiveEntry> notArchived = mine.stream().filter(e -> e.kind() == ArchiveEntry.Kind.NOT_ARCHIVED).findFirst();
        if (notArchived.isPresent()) {
            return new Reversal.Impossible(up.step(), up.summary(), "its data was not archived: " + notArchived.get().detail().note());
        }
        String command = up.command();
        if (destroyed.stream().anyMatch(d -> !archived(d, mine))) {
            return new Reversal.Impossible(up.step(), up.summary(), "it destroys data that is not in the archive"
                    + " (archiving was off, or the archive was purged)");
        }
        if (command.equals("ALTER TABLE")) {
            return alterTable(up, t, mine);
        }
        if (!destroyed.isEmpty()) {
            String what = mine.stream().map(e -> e.kind() == ArchiveEntry.Kind.TABLE && e.archiveTable() == null ? e.detail().note()
                    : e.kind() == ArchiveEntry.Kind.TABLE ? "table " + e.sourceSchema() + "."
                    + e.sourceTable() + " moved back" : e.rows() + " rows of " + e.sourceSchema() + "." + e.sourceTable())
                    .reduce((a, b) -> a + ", " + b).orElse("");
            return new Reversal.Restored(up.step(), up.summary(), List.of(), what);
        }
        if (up.change().isPresent() && up.change().get().action() == ObjectChange.Action.CREATE && !command.contains("OR REPLACE")) {
            return dropOf(up, up.change().get(), command);
        }
        if (command.equals("SET") || command.equals("RESET") || command.equals("SELECT") && !up.summary().contains("(")
                || command.startsWith("ANALYZE") || command.startsWith("VACUUM")) {
            return new Reversal.Nothing(up.step(), up.summary());
        }
        return new Reversal.Impossible(up.step(), up.summary(), "Reverso does not know the inverse of " + command
                + "; write a down migration");
    }

    /** An ALTER TABLE of a temporary table the migration created: the table is gone when the down runs. */
    private static boolean onTemporaryTable(TokenList t, Earlier earlier) {
        if (!t.is(0, "ALTER") || !t.is(1, "TABLE")) {
            return false;
        }
        TokenList.Name name = t.target(t.skipWords(2, "IF", "EXISTS"));
        return name != null && earlier.temporary(name.table());
    }

    private static boolean archived(Destruction d, List<ArchiveEntry> entries) {
        if (d instanceof Destruction.Unbounded) {
            return entries.stream().anyMatch(e -> e.detail().note() != null && e.detail().note().startsWith(Archiver.WHOLE_TABLE));
        }
        if (d instanceof Destruction.DroppedColumn dc) {
            return entries.stream().anyMatch(e -> e.kind() == ArchiveEntry.Kind.COLUMN && dc.column().equals(e.detail().column()));
        }
        if (d instanceof Destruction.ChangedType ct) {
            return entries.stream().anyMatch(e -> e.kind() == ArchiveEntry.Kind.TYPE && ct.column().equals(e.detail().column()));
        }
        return !entries.isEmpty();
    }

    private static Reversal dropOf(UpStatement up, ObjectChange change, String command) {
        String what = switch (change.kind()) {
            case TABLE -> "table";
            case INDEX -> command.contains("CONCURRENTLY") ? "index concurrently" : "index";
            case VIEW -> "view";
            case MATERIALIZED_VIEW -> "materialized view";
            case SEQUENCE -> "sequence";
            case SCHEMA -> "schema";
            case TYPE -> "type";
            default -> null;
        };
        if (what == null || change.name() == null || change.name().isEmpty()) {
            return new Reversal.Impossible(up.step(), up.summary(), "Reverso cannot name what " + command
                    + " creates; write a down migration");
        }
        return new Reversal.Derived(up.step(), up.summary(),
                List.of("drop " + what + " if exists " + Identifiers.qualified(change.schema(), change.name())));
    }

    /** The inverse of each action of an ALTER TABLE, last action first. */
    private static Reversal alterTable(UpStatement up, TokenList t, List<ArchiveEntry> entries) {
        TokenList.Name name = t.target(t.skipWords(2, "IF", "EXISTS"));
        if (name == null) {
            return new Reversal.Impossible(up.step(), up.summary(), "cannot read the table's name");
        }
        String table = name.table().sql();
        int from = name.end();
        if (t.is(from, "RENAME") && t.is(from + 1, "TO") && t.identifier(from + 2)) {
            String newName = Identifiers.qualified(name.table().schema(), t.identifierAt(from + 2));
            return new Reversal.Derived(up.step(), up.summary(), List.of("alter table " + newName + " rename to "
                    + Identifiers.quote(name.table().name())));
        }
        List<int[]> actions = t.commaSeparated(from, t.size());
        List<String> sql = new ArrayList<>();
        boolean restored = false;
        for (int a = actions.size() - 1; a >= 0; a--) {
            int s = actions.get(a)[0];
            int e = actions.get(a)[1];
            List<String> inverse = action(t, table, s, e, entries);
            if (inverse == null) {
                return new Reversal.Impossible(up.step(), up.summary(), "Reverso does not know the inverse of ALTER TABLE ... "
                        + t.text(s, Math.min(e, s + 4)) + "; write a down migration");
            }
            restored |= t.is(s, "DROP") && !t.is(s + 1, "CONSTRAINT") || t.is(s, "ALTER") && t.containsWord("TYPE");
            sql.addAll(inverse);
        }
        return restored ? new Reversal.Restored(up.step(), up.summary(), sql, "values from the archive")
                : new Reversal.Derived(up.step(), up.summary(), sql);
    }

    private static List<String> action(TokenList t, String table, int s, int e, List<ArchiveEntry> entries) {
        String alter = "alter table " + table + " ";
        if (t.is(s, "ADD") && t.is(s + 1, "CONSTRAINT") && t.identifier(s + 2)) {
            return List.of(alter + "drop constraint if exists " + Identifiers.quote(t.identifierAt(s + 2)));
        }
        if (t.is(s, "ADD") && !t.is(s + 1, "CONSTRAINT") && !isTableConstraint(t, s + 1)) {
            int c = t.skipWords(s + 1, "COLUMN");
            c = t.skipWords(c, "IF", "NOT", "EXISTS");
            return t.identifier(c) ? List.of(alter + "drop column if exists " + Identifiers.quote(t.identifierAt(c))) : null;
        }
        if (t.is(s, "RENAME")) {
            int c = t.skipWords(s + 1, "COLUMN");
            boolean constraint = t.is(s + 1, "CONSTRAINT");
            if (constraint) {
                c = s + 2;
            }
            if (t.identifier(c) && t.is(c + 1, "TO") && t.identifier(c + 2)) {
                return List.of(alter + "rename " + (constraint ? "constraint " : "column ") + Identifiers.quote(t.identifierAt(c + 2))
                        + " to " + Identifiers.quote(t.identifierAt(c)));
            }
            return null;
        }
        if (t.is(s, "VALIDATE")) {
            return List.of();
        }
        if (t.is(s, "DROP") && !t.is(s + 1, "CONSTRAINT")) {
            int c = t.skipWords(s + 1, "COLUMN");
            c = t.skipWords(c, "IF", "EXISTS");
            if (!t.identifier(c)) {
                return null;
            }
            String column = t.identifierAt(c);
            return entries.stream().filter(en -> en.kind() == ArchiveEntry.Kind.COLUMN && column.equals(en.detail().column()))
                    .findFirst().map(en -> readd(table, en)).orElse(null);
        }
        if (t.is(s, "ALTER")) {
            int c = t.skipWords(s + 1, "COLUMN");
            if (!t.identifier(c)) {
                return null;
            }
            String column = Identifiers.quote(t.identifierAt(c));
            if (t.is(c + 1, "SET") && t.is(c + 2, "NOT") && t.is(c + 3, "NULL")) {
                return List.of(alter + "alter column " + column + " drop not null");
            }
            if (t.is(c + 1, "DROP") && t.is(c + 2, "NOT") && t.is(c + 3, "NULL")) {
                return List.of(alter + "alter column " + column + " set not null");
            }
            String name = t.identifierAt(c);
            Optional<ArchiveEntry> typed = entries.stream()
                    .filter(en -> en.kind() == ArchiveEntry.Kind.TYPE && name.equals(en.detail().column())).findFirst();
            if (typed.isPresent()) {
                return typeBack(alter, column, typed.get());
            }
            return null;
        }
        return null;
    }

    /**
     * The old type back. A narrowed value may not cast back (a cut JSON text): such values become
     * NULL through a session-local function, and the archive then puts back every archived value
     * exactly; only values written since that do not fit stay NULL.
     */
    private static List<String> typeBack(String alter, String column, ArchiveEntry entry) {
        String old = entry.detail().definition().type();
        if (entry.archiveTable() == null) {
            return List.of(alter + "alter column " + column + " type " + old + " using " + column + "::" + old);
        }
        String cast = "pg_temp.reverso_cast_" + entry.id();
        return List.of("create function " + cast + "(v text) returns " + old + " language plpgsql as $reverso$"
                        + " begin return v::" + old + "; exception when others then return null; end $reverso$",
                alter + "alter column " + column + " type " + old + " using " + cast + "(" + column + "::text)");
    }

    private static boolean isTableConstraint(TokenList t, int i) {
        return t.is(i, "PRIMARY") || t.is(i, "UNIQUE") || t.is(i, "CHECK") || t.is(i, "FOREIGN") || t.is(i, "EXCLUDE");
    }

    /** ADD COLUMN as the column was, then (after the archive has put the values back) its NOT NULL, identity and dependents. */
    private static List<String> readd(String table, ArchiveEntry entry) {
        TableShape.Column col = entry.detail().definition();
        String alter = "alter table " + table + " ";
        String name = Identifiers.quote(col.name());
        List<String> sql = new ArrayList<>();
        for (ArchiveEntry.SequencePosition s : entry.detail().sequences()) {
            if (col.identity().isEmpty()) {
                sql.add("create sequence if not exists " + s.sequence());
            }
        }
        String definition = name + " " + col.type() + (col.collation() == null ? "" : " collate " + col.collation());
        if (col.generated()) {
            sql.add(alter + "add column " + definition + " generated always as (" + col.defaultSql() + ") stored");
        } else {
            sql.add(alter + "add column " + definition + (col.defaultSql() == null ? "" : " default " + col.defaultSql()));
        }
        if (col.notNull()) {
            sql.add(alter + "alter column " + name + " set not null");
        }
        for (ArchiveEntry.SequencePosition s : entry.detail().sequences()) {
            if (col.identity().isEmpty()) {
                sql.add("alter sequence " + s.sequence() + " owned by " + table + "." + name);
                sql.add("select setval('" + s.sequence().replace("'", "''") + "', " + s.lastValue() + ", " + s.isCalled() + ")");
            } else {
                sql.add(alter + "alter column " + name + " add generated " + (col.identity().equals("a") ? "always" : "by default")
                        + " as identity");
                sql.add("select setval(pg_get_serial_sequence('" + table.replace("'", "''") + "', '" + col.name().replace("'", "''")
                        + "'), " + s.lastValue() + ", " + s.isCalled() + ")");
            }
        }
        sql.addAll(entry.detail().recreate());
        return sql;
    }
}
