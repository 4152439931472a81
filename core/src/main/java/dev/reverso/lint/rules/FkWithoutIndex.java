package dev.reverso.lint.rules;

import dev.reverso.engine.Step;
import dev.reverso.lint.MigrationFile;
import dev.reverso.lint.Rule;
import dev.reverso.lint.SchemaState;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.sql.Statement;
import dev.reverso.sql.Token;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * #51: foreign-key columns that no index leads with. It sees foreign keys declared in CREATE
 * TABLE and on columns ALTER TABLE adds (or any foreign key of a table this migration created),
 * and the indexes, primary keys and unique constraints declared anywhere in the same migration.
 * A foreign key on existing columns of an existing table is left alone: an earlier migration may
 * have indexed them, and the schema state does not record indexes.
 */
final class FkWithoutIndex implements Rule {

    @Override
    public String id() {
        return "fk-without-index";
    }

    @Override
    public boolean handles(String command) {
        // Ddl.createTable and Ddl.alterTable read statements that start with CREATE or ALTER.
        return command.startsWith("CREATE") || command.startsWith("ALTER");
    }

    @Override
    public Severity severity() {
        return Severity.INFO;
    }

    /**
     * The commands of the statements {@link #indexesBuilt} can read an index from (as Ddl reads
     * them, the bare CREATE and ALTER of a statement the classifier did not know included): the
     * per-file index map reads no other, which spares it most of a long file.
     */
    private static final Set<String> BUILDS_INDEXES = Set.of("CREATE INDEX", "CREATE INDEX CONCURRENTLY", "CREATE TABLE",
            "CREATE TABLE AS", "CREATE FOREIGN TABLE", "CREATE", "ALTER TABLE", "ALTER FOREIGN TABLE", "ALTER VIEW",
            "ALTER MATERIALIZED VIEW", "ALTER");

    private record ForeignKey(String table, List<String> columns, String parent) {
    }

    @Override
    public void check(StatementContext ctx) {
        for (ForeignKey fk : foreignKeys(ctx)) {
            if (covered(ctx, fk)) {
                continue;
            }
            String cols = String.join(", ", fk.columns());
            boolean newTable = ctx.createdInThisMigration(fk.table()) || ctx.classification().command().equals("CREATE TABLE");
            String last = fk.table().substring(fk.table().lastIndexOf('.') + 1);
            String index = Ddl.truncate(last + "_" + String.join("_", fk.columns()) + "_idx", IdentifierTooLong.MAX_BYTES);
            ctx.report(fk.table() + " (" + cols + ") references " + fk.parent() + ", but no index (in this migration or an earlier one) starts "
                            + "with " + cols + ": every DELETE from " + fk.parent() + ", and every update of its key, "
                            + "scans " + fk.table() + " for referencing rows, and joins on " + cols + " scan too",
                    newTable
                            ? "CREATE INDEX " + index + " ON " + fk.table() + " (" + cols + ");"
                            : "CREATE INDEX CONCURRENTLY " + index + " ON " + fk.table() + " (" + cols + ");  -- in its "
                            + "own migration, which Reverso runs outside a transaction");
        }
    }

    private static List<ForeignKey> foreignKeys(StatementContext ctx) {
        List<ForeignKey> fks = new ArrayList<>();
        Optional<Ddl.Table> table = Ddl.createTable(ctx);
        if (table.isPresent()) {
            String name = table.get().name();
            for (Ddl.Column c : table.get().columns()) {
                if (c.references().isPresent()) {
                    fks.add(new ForeignKey(name, List.of(c.name()), c.references().get()));
                }
            }
            for (Ddl.Constraint c : table.get().constraints()) {
                if (c.kind().equals("FOREIGN KEY") && !c.columns().isEmpty()) {
                    fks.add(new ForeignKey(name, c.columns(), c.references().orElse("its parent")));
                }
            }
        }
        Optional<Ddl.Alter> alter = Ddl.alterTable(ctx);
        if (alter.isPresent()) {
            String name = alter.get().table();
            List<String> added = new ArrayList<>();
            for (Optional<Ddl.Column> column : Ddl.addedColumns(ctx)) {
                if (column.isPresent()) {
                    added.add(column.get().name());
                    if (column.get().references().isPresent()) {
                        fks.add(new ForeignKey(name, List.of(column.get().name()), column.get().references().get()));
                    }
                }
            }
            // A table an earlier migration created has a replayed list of indexes, so a foreign key
            // on its existing columns can be judged too; a table never seen cannot.
            boolean indexesKnown = ctx.createdInThisMigration(name) || ctx.schema().knownTable(name);
            for (Optional<Ddl.Constraint> constraint : Ddl.addedConstraints(ctx)) {
                Ddl.Constraint c = constraint.orElse(null);
                if (c != null && c.kind().equals("FOREIGN KEY") && !c.columns().isEmpty()
                        && (indexesKnown || added.containsAll(c.columns()))) {
                    fks.add(new ForeignKey(name, c.columns(), c.references().orElse("its parent")));
                }
            }
        }
        return fks;
    }

    /** Whether an index, primary key or unique constraint of the migration leads with the columns. */
    private static boolean covered(StatementContext ctx, ForeignKey fk) {
        for (SchemaState.Index index : ctx.schema().indexesOn(fk.table())) {
            if (!index.partial() && leadsWith(index.columns(), fk.columns())) {
                return true;
            }
        }
        // Every statement's indexes, read once per file, as the column sets their leading columns
        // form: scanning the file again for each foreign key would be quadratic on a long file, and
        // so would comparing each foreign key with every index of its table there.
        Map<String, Set<Leading>> indexes = ctx.perFile("fk-without-index:indexes", FkWithoutIndex::indexesByTable);
        return indexes.getOrDefault(SchemaState.normalise(fk.table()), Set.of()).contains(Leading.of(fk.columns()));
    }

    /**
     * The first {@code size} columns of an index as a set: an index covers a foreign key when the
     * set of its first n columns is the key's columns (n of them), in any order.
     */
    private record Leading(int size, Set<String> columns) {

        static Leading of(List<String> columns) {
            return new Leading(columns.size(), new HashSet<>(columns));
        }

        /** Every prefix of an index's leading columns, the empty one included, as {@link #leadsWith} reads them. */
        static List<Leading> prefixes(List<String> leading) {
            List<Leading> out = new ArrayList<>(leading.size() + 1);
            for (int n = 0; n <= leading.size(); n++) {
                out.add(of(leading.subList(0, n)));
            }
            return out;
        }
    }

    /** Whether an index's leading columns are the foreign key's columns, in any order. */
    private static boolean leadsWith(List<String> leading, List<String> columns) {
        return leading.size() >= columns.size() && new HashSet<>(leading.subList(0, columns.size())).equals(new HashSet<>(columns));
    }

    /** Every index the migration builds, by table, as the prefixes of its leading columns. */
    private static Map<String, Set<Leading>> indexesByTable(MigrationFile migration) {
        Map<String, Set<Leading>> byTable = new HashMap<>();
        // A long file repeats the same index many times; its prefixes are added once.
        Set<List<Object>> seen = new HashSet<>();
        for (Step step : migration.steps()) {
            TableIndexes built = BUILDS_INDEXES.contains(step.classification().command()) ? indexesBuilt(step.statement()) : null;
            if (built == null) {
                continue;
            }
            String table = SchemaState.normalise(built.table());
            for (List<String> leading : built.leading()) {
                if (seen.add(List.of(table, leading))) {
                    byTable.computeIfAbsent(table, t -> new HashSet<>()).addAll(Leading.prefixes(leading));
                }
            }
        }
        return byTable;
    }

    /** The leading columns of each index a statement builds on its table. */
    private record TableIndexes(String table, List<List<String>> leading) {
    }

    /**
     * The indexes a statement builds, all on one table (a CREATE INDEX's, or a CREATE or ALTER
     * TABLE's own); null if it builds none. Each reading of the statement is done once: this runs
     * over every statement of the file.
     */
    private static TableIndexes indexesBuilt(Statement s) {
        if (s.tokens().isEmpty() || !(s.tokens().get(0).isWord("CREATE") || s.tokens().get(0).isWord("ALTER"))) {
            return null; // what the three readings below all need
        }
        Optional<Ddl.Index> index = Ddl.createIndex(s);
        if (index.isPresent()) {
            // A CREATE INDEX is neither of the tables read below.
            return new TableIndexes(index.get().table(), List.of(index.get().leading()));
        }
        if (!namesKey(s.tokens())) {
            return null; // a table's own indexes come from its keys; reading the rest of a long file's tables found none
        }
        Optional<Ddl.Table> table = Ddl.createTable(s);
        if (table.isPresent()) {
            return new TableIndexes(table.get().name(), indexed(table.get()));
        }
        Optional<Ddl.Alter> alter = Ddl.alterTable(s);
        return alter.map(a -> new TableIndexes(a.table(), indexed(s, a))).orElse(null);
    }

    private static boolean namesKey(List<Token> tokens) {
        for (Token t : tokens) {
            if (t.isWord("PRIMARY") || t.isWord("UNIQUE")) {
                return true;
            }
        }
        return false;
    }

    /** The leading columns of each index a CREATE TABLE builds. */
    private static List<List<String>> indexed(Ddl.Table t) {
        List<List<String>> out = new ArrayList<>();
        for (Ddl.Column c : t.columns()) {
            if (c.primaryKey() || c.unique()) {
                out.add(List.of(c.name()));
            }
        }
        for (Ddl.Constraint c : t.constraints()) {
            if (isKey(c)) {
                out.add(c.columns());
            }
        }
        return out;
    }

    /** The leading columns of each index an ALTER TABLE builds. */
    private static List<List<String>> indexed(Statement s, Ddl.Alter alter) {
        List<List<String>> out = new ArrayList<>();
        for (List<Token> action : alter.actions()) {
            Optional<Ddl.Column> column = Ddl.addedColumn(s, alter.table(), action);
            if (column.isPresent() && (column.get().primaryKey() || column.get().unique())) {
                out.add(List.of(column.get().name()));
            }
            Optional<Ddl.Constraint> constraint = Ddl.addedConstraint(action);
            if (constraint.isPresent() && isKey(constraint.get())) {
                out.add(constraint.get().columns());
            }
        }
        return out;
    }

    private static boolean isKey(Ddl.Constraint c) {
        return c.kind().equals("PRIMARY KEY") || c.kind().equals("UNIQUE");
    }
}
