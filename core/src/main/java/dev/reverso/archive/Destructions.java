package dev.reverso.archive;

import dev.reverso.sql.Identifiers;
import dev.reverso.sql.Statement;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads from a statement's tokens what it destroys. It reads the forms migrations use (ALTER
 * TABLE's DROP COLUMN and ALTER COLUMN TYPE, DROP TABLE, TRUNCATE, DELETE, UPDATE); a statement
 * that changes data in a way its text does not bound is reported as {@link Destruction.Unbounded}.
 */
public final class Destructions {

    private static final Set<String> CLAUSE_ENDS = Set.of("WHERE", "RETURNING", "USING", "FROM", "SET");

    private final TokenList t;

    private Destructions(Statement statement) {
        this.t = new TokenList(statement);
    }

    /** What the statement destroys, in the order it destroys it; empty when it destroys nothing. */
    public static List<Destruction> of(Statement statement) {
        return new Destructions(statement).read();
    }

    private List<Destruction> read() {
        if (t.size() == 0) {
            return List.of();
        }
        if (t.is(0, "ALTER") && t.is(1, "TABLE")) {
            return alterTable();
        }
        if (t.is(0, "DROP") && t.is(1, "TABLE")) {
            return dropTable();
        }
        if (t.is(0, "TRUNCATE")) {
            return truncate();
        }
        if (t.is(0, "DELETE") && t.is(1, "FROM")) {
            return delete(0, Optional.empty());
        }
        if (t.is(0, "UPDATE")) {
            return update(0, Optional.empty());
        }
        if (t.is(0, "WITH")) {
            return with();
        }
        if (t.is(0, "DO") && t.bodyChangesData()) {
            return List.of(new Destruction.Unbounded(null, "a DO block that changes data: Reverso cannot see which rows"));
        }
        return List.of();
    }

    // ALTER TABLE [IF EXISTS] [ONLY] name [*] action [, action ...]
    private List<Destruction> alterTable() {
        TokenList.Name name = t.target(t.skipWords(2, "IF", "EXISTS"));
        if (name == null) {
            return List.of();
        }
        List<Destruction> found = new ArrayList<>();
        for (int[] action : t.commaSeparated(name.end(), t.size())) {
            Destruction d = alterAction(name.table(), action[0], action[1]);
            if (d != null) {
                found.add(d);
            }
        }
        return found;
    }

    private Destruction alterAction(TableName table, int from, int to) {
        if (t.is(from, "DROP") && !t.is(from + 1, "CONSTRAINT")) {
            int i = t.skipWords(from + 1, "COLUMN");
            i = t.skipWords(i, "IF", "EXISTS");
            return i < to && t.identifier(i) ? new Destruction.DroppedColumn(table, Identifiers.stored(t.get(i))) : null;
        }
        if (t.is(from, "ALTER")) {
            int i = t.skipWords(from + 1, "COLUMN");
            if (i >= to || !t.identifier(i)) {
                return null;
            }
            String column = Identifiers.stored(t.get(i));
            int type = i + 1;
            if (t.is(type, "SET") && t.is(type + 1, "DATA")) {
                type += 2;
            }
            if (!t.is(type, "TYPE")) {
                return null;
            }
            int using = t.indexOfWord(type + 1, to, "USING");
            int end = using < 0 ? to : using;
            int collate = t.indexOfWord(type + 1, end, "COLLATE");
            return new Destruction.ChangedType(table, column, t.text(type + 1, collate < 0 ? end : collate), using >= 0);
        }
        return null;
    }

    // DROP TABLE [IF EXISTS] name [, ...] [CASCADE | RESTRICT]
    private List<Destruction> dropTable() {
        int i = t.skipWords(2, "IF", "EXISTS");
        boolean ifExists = i > 2;
        boolean cascade = t.is(t.size() - 1, "CASCADE");
        List<Destruction> found = new ArrayList<>();
        for (TokenList.Name n : t.names(i)) {
            found.add(new Destruction.DroppedTable(n.table(), cascade, ifExists));
        }
        return found;
    }

    // TRUNCATE [TABLE] [ONLY] name [*] [, ...] [RESTART IDENTITY | CONTINUE IDENTITY] [CASCADE | RESTRICT]
    private List<Destruction> truncate() {
        int i = t.skipWords(1, "TABLE");
        boolean cascade = t.containsWord("CASCADE");
        boolean restart = t.containsWord("RESTART");
        List<Destruction> found = new ArrayList<>();
        for (TokenList.Name n : t.names(i)) {
            found.add(new Destruction.Truncated(n.table(), cascade, restart));
        }
        return found;
    }

    /**
     * What the statement destroys, given the statements of the same migration that ran before it:
     * an UPDATE does not destroy the values of columns one of them added (a backfill), and what a
     * migration does to a temporary table it created is no one's data once its session ends.
     */
    public static List<Destruction> of(Statement statement, List<Statement> earlier) {
        List<Destruction> read = of(statement);
        // Most statements destroy nothing: the earlier ones are read only when it does.
        return read.isEmpty() ? read : of(read, Earlier.of(earlier));
    }

    /** As {@link #of(Statement, List)}, with the earlier statements already read. */
    static List<Destruction> of(Statement statement, Earlier before) {
        List<Destruction> read = of(statement);
        return read.isEmpty() ? read : of(read, before);
    }

    private static List<Destruction> of(List<Destruction> read, Earlier before) {
        return before.withoutBackfills(read).stream().filter(d -> d.table() == null || !before.temporary(d.table())).toList();
    }

    /**
     * {@code WITH [RECURSIVE] name [(columns)] AS [[NOT] MATERIALIZED] (query) [, ...] statement}:
     * an UPDATE or DELETE whose CTEs only read is read as that UPDATE or DELETE; one whose CTEs
     * change data themselves is not bounded by its text.
     */
    private List<Destruction> with() {
        List<Destruction> unbounded = t.containsWord("DELETE", "UPDATE", "TRUNCATE")
                ? List.of(new Destruction.Unbounded(null, "a WITH query that changes data: Reverso cannot see which rows"))
                : List.of();
        List<String> names = new ArrayList<>();
        int i = t.skipWords(1, "RECURSIVE");
        while (true) {
            if (!t.identifier(i)) {
                return unbounded;
            }
            names.add(Identifiers.stored(t.get(i)));
            i++;
            if (t.symbol(i, "(")) {
                i = t.closing(i) + 1;
            }
            if (i <= 0 || !t.is(i, "AS")) {
                return unbounded;
            }
            i = t.skipWords(i + 1, "NOT");
            i = t.skipWords(i, "MATERIALIZED");
            int close = t.symbol(i, "(") ? t.closing(i) : -1;
            if (close < 0 || t.containsWord(i + 1, close, "INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE")) {
                return unbounded;
            }
            i = close + 1;
            if (!t.symbol(i, ",")) {
                break;
            }
            i++;
        }
        Optional<String> ctes = Optional.of(t.text(0, i));
        if (t.is(i, "DELETE") && t.is(i + 1, "FROM")) {
            return delete(i, ctes);
        }
        if (t.is(i, "UPDATE")) {
            TokenList.Name target = t.target(i + 1);
            if (target != null && target.table().schema() == null && names.contains(target.table().name())) {
                return List.of(new Destruction.Unbounded(target.table(), "an UPDATE whose WITH query has its table's name"));
            }
            return update(i, ctes);
        }
        return unbounded;
    }

    // DELETE FROM [ONLY] name [*] [[AS] alias] [USING ...] [WHERE ... | WHERE CURRENT OF c] [RETURNING ...]
    private List<Destruction> delete(int start, Optional<String> with) {
        TokenList.Name name = t.target(start + 2);
        if (name == null) {
            return List.of();
        }
        int i = name.end();
        String reference = alias(i).orElse(Identifiers.quote(name.table().name()));
        if (t.topLevelWord(i, "RETURNING") >= 0) {
            return List.of(new Destruction.Unbounded(name.table(), "a DELETE with its own RETURNING clause"));
        }
        int where = t.topLevelWord(i, "WHERE");
        if (where >= 0 && t.is(where + 1, "CURRENT") && t.is(where + 2, "OF")) {
            return List.of(new Destruction.Unbounded(name.table(), "a DELETE ... WHERE CURRENT OF a cursor"));
        }
        return List.of(new Destruction.DeletedRows(name.table(), reference, with, t.text(start, t.size())));
    }

    // UPDATE [ONLY] name [*] [[AS] alias] SET ... [FROM ...] [WHERE ...] [RETURNING ...]
    private List<Destruction> update(int start, Optional<String> with) {
        TokenList.Name name = t.target(start + 1);
        if (name == null) {
            return List.of();
        }
        int i = name.end();
        Optional<String> alias = alias(i);
        int set = t.topLevelWord(i, "SET");
        if (set < 0) {
            return List.of();
        }
        int where = t.topLevelWord(set, "WHERE");
        int from = fromClause(set, where);
        int returning = t.topLevelWord(set, "RETURNING");
        if (returning >= 0) {
            return List.of(new Destruction.Unbounded(name.table(), "an UPDATE with its own RETURNING clause"));
        }
        if (where >= 0 && t.is(where + 1, "CURRENT") && t.is(where + 2, "OF")) {
            return List.of(new Destruction.Unbounded(name.table(), "an UPDATE ... WHERE CURRENT OF a cursor"));
        }
        int setEnd = from >= 0 ? from : where >= 0 ? where : t.size();
        List<String> columns = assigned(set + 1, setEnd);
        Optional<String> fromText = from < 0 ? Optional.empty() : Optional.of(t.text(from + 1, where >= 0 ? where : t.size()));
        Optional<String> whereText = where < 0 ? Optional.empty() : Optional.of(t.text(where + 1, t.size()));
        return List.of(new Destruction.UpdatedRows(name.table(), alias, columns, fromText, whereText, with));
    }

    /**
     * The UPDATE's own FROM, between SET and WHERE: the FROM of {@code IS [NOT] DISTINCT FROM} is
     * an operator's, and those of EXTRACT, SUBSTRING, TRIM and subqueries are inside parentheses.
     */
    private int fromClause(int set, int where) {
        for (int i = t.topLevelWord(set, "FROM"); i >= 0 && (where < 0 || i < where); i = t.topLevelWord(i + 1, "FROM")) {
            if (!t.is(i - 1, "DISTINCT")) {
                return i;
            }
        }
        return -1;
    }

    /** The columns a SET list assigns: {@code a = ..., (b, c) = ..., d[1] = ..., e.f = ...}. */
    private List<String> assigned(int from, int to) {
        List<String> columns = new ArrayList<>();
        for (int[] item : t.commaSeparated(from, to)) {
            int i = item[0];
            if (t.symbol(i, "(")) {
                for (int j = i + 1; j < item[1] && !t.symbol(j, ")"); j++) {
                    if (t.identifier(j)) {
                        columns.add(Identifiers.stored(t.get(j)));
                        while (j + 1 < item[1] && !t.symbol(j + 1, ",") && !t.symbol(j + 1, ")")) {
                            j++;
                        }
                    }
                }
            } else if (t.identifier(i)) {
                columns.add(Identifiers.stored(t.get(i)));
            }
        }
        return columns.stream().distinct().toList();
    }

    private Optional<String> alias(int i) {
        if (t.is(i, "AS") && t.identifier(i + 1)) {
            return Optional.of(t.get(i + 1).text());
        }
        if (t.identifier(i) && !CLAUSE_ENDS.contains(t.get(i).upper())) {
            return Optional.of(t.get(i).text());
        }
        return Optional.empty();
    }

}
