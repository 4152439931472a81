package dev.reverso.archive;

import dev.reverso.sql.Statement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the earlier statements of a migration did that changes what a later one destroys, read
 * from their text as the archive and the rollback verdict both read it: the columns a plain
 * {@code ALTER TABLE ... ADD [COLUMN]} added (new by construction: it fails on a column that is
 * there, unlike ADD COLUMN IF NOT EXISTS, which vouches for nothing), and the temporary tables
 * {@code CREATE TEMP TABLE} created. Tables are matched by name as written; a DROP TABLE or a
 * rename of a table, and a SET of search_path, forget what was known of the names involved.
 */
final class Earlier {

    /** The columns added, by the table's name as written. */
    private final Map<TableName, Set<String>> added = new HashMap<>();
    /** The names of the temporary tables created, unqualified. */
    private final Set<String> temporary = new HashSet<>();

    private Earlier() {
    }

    /** Nothing before: the first statement of a migration. Read more with {@link #saw}. */
    static Earlier none() {
        return new Earlier();
    }

    static Earlier of(List<Statement> statements) {
        Earlier e = new Earlier();
        for (Statement s : statements) {
            e.saw(new TokenList(s));
        }
        return e;
    }

    /** Whether a name refers to a temporary table (one a statement before created, or one in pg_temp). */
    boolean temporary(TableName table) {
        return "pg_temp".equals(table.schema()) || table.schema() == null && temporary.contains(table.name());
    }

    /** The columns of this table the earlier statements added. */
    Set<String> added(TableName table) {
        return added.getOrDefault(table, Set.of());
    }

    /**
     * The destructions without the values of added columns: an UPDATE that assigns only such
     * columns destroys nothing the application had, one that also assigns others destroys those.
     */
    List<Destruction> withoutBackfills(List<Destruction> destructions) {
        List<Destruction> out = new ArrayList<>();
        for (Destruction d : destructions) {
            if (d instanceof Destruction.UpdatedRows u && !added(u.table()).isEmpty()) {
                List<String> kept = u.columns().stream().filter(col -> !added(u.table()).contains(col)).toList();
                if (!kept.isEmpty()) {
                    out.add(new Destruction.UpdatedRows(u.table(), u.alias(), kept, u.from(), u.where(), u.with()));
                }
            } else {
                out.add(d);
            }
        }
        return out;
    }

    /** The name {@code CREATE [GLOBAL | LOCAL] TEMP[ORARY] TABLE [IF NOT EXISTS] name} creates, or null. */
    static TableName createsTemporary(TokenList t) {
        if (!t.is(0, "CREATE")) {
            return null;
        }
        int i = 1;
        if (t.is(i, "GLOBAL") || t.is(i, "LOCAL")) {
            i++;
        }
        if (!t.is(i, "TEMP") && !t.is(i, "TEMPORARY") || !t.is(i + 1, "TABLE")) {
            return null;
        }
        TokenList.Name name = t.name(t.skipWords(i + 2, "IF", "NOT", "EXISTS"));
        return name == null ? null : name.table();
    }

    void saw(TokenList t) {
        TableName created = createsTemporary(t);
        if (created != null) {
            if (created.schema() == null || created.schema().equals("pg_temp")) {
                temporary.add(created.name());
            }
            return;
        }
        if (t.is(0, "DROP") && t.is(1, "TABLE")) {
            for (TokenList.Name n : t.names(t.skipWords(2, "IF", "EXISTS"))) {
                forget(n.table());
            }
            return;
        }
        if (t.is(0, "SET") && (t.is(1, "SEARCH_PATH") || t.is(2, "SEARCH_PATH"))) {
            // Unqualified names may now mean other tables.
            added.keySet().removeIf(table -> table.schema() == null);
            temporary.clear();
            return;
        }
        if (!t.is(0, "ALTER") || !t.is(1, "TABLE")) {
            return;
        }
        TokenList.Name name = t.target(t.skipWords(2, "IF", "EXISTS"));
        if (name == null) {
            return;
        }
        if (t.is(name.end(), "RENAME") && t.is(name.end() + 1, "TO") || t.is(name.end(), "SET") && t.is(name.end() + 1, "SCHEMA")) {
            forget(name.table());
            return;
        }
        for (int[] action : t.commaSeparated(name.end(), t.size())) {
            int s = action[0];
            if (!t.is(s, "ADD") || t.is(s + 1, "CONSTRAINT") || t.is(s + 1, "PRIMARY") || t.is(s + 1, "UNIQUE")
                    || t.is(s + 1, "CHECK") || t.is(s + 1, "FOREIGN") || t.is(s + 1, "EXCLUDE")) {
                continue;
            }
            int c = t.skipWords(s + 1, "COLUMN");
            if (t.is(c, "IF") || !t.identifier(c) || c + 1 >= action[1]) {
                continue;
            }
            added.computeIfAbsent(name.table(), k -> new LinkedHashSet<>()).add(t.identifierAt(c));
        }
    }

    private void forget(TableName table) {
        added.remove(table);
        if (table.schema() == null || table.schema().equals("pg_temp")) {
            temporary.remove(table.name());
        }
    }
}
