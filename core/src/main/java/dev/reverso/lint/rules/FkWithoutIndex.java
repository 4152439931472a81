package dev.reverso.lint.rules;

import dev.reverso.engine.Step;
import dev.reverso.lint.Rule;
import dev.reverso.lint.SchemaState;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.sql.Statement;
import dev.reverso.sql.Token;

import java.util.ArrayList;
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
     * The commands of the statements {@link #indexedTables} can read an index from (as Ddl reads
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
        Statement s = ctx.step().statement();
        List<ForeignKey> fks = new ArrayList<>();
        Ddl.createTable(ctx).ifPresent(table -> {
            table.columns().forEach(c -> c.references().ifPresent(p -> fks.add(new ForeignKey(table.name(), List.of(c.name()), p))));
            table.constraints().stream().filter(c -> c.kind().equals("FOREIGN KEY") && !c.columns().isEmpty())
                    .forEach(c -> fks.add(new ForeignKey(table.name(), c.columns(), c.references().orElse("its parent"))));
        });
        Ddl.alterTable(ctx).ifPresent(alter -> {
            List<String> added = new ArrayList<>();
            Ddl.addedColumns(ctx).forEach(a -> a.ifPresent(c -> {
                added.add(c.name());
                c.references().ifPresent(p -> fks.add(new ForeignKey(alter.table(), List.of(c.name()), p)));
            }));
            boolean newTable = ctx.createdInThisMigration(alter.table());
            // A table an earlier migration created has a replayed list of indexes, so a foreign key
            // on its existing columns can be judged too; a table never seen cannot.
            boolean indexesKnown = newTable || ctx.schema().knownTable(alter.table());
            Ddl.addedConstraints(ctx).forEach(a -> a
                    .filter(c -> c.kind().equals("FOREIGN KEY") && !c.columns().isEmpty())
                    .filter(c -> indexesKnown || added.containsAll(c.columns()))
                    .ifPresent(c -> fks.add(new ForeignKey(alter.table(), c.columns(), c.references().orElse("its parent")))));
        });
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
        Map<String, Set<Leading>> indexes = ctx.perFile("fk-without-index:indexes", migration -> {
            Map<String, Set<Leading>> byTable = new java.util.HashMap<>();
            // A long file repeats the same index many times; its prefixes are added once.
            Set<List<Object>> seen = new HashSet<>();
            for (Step step : migration.steps()) {
                if (!BUILDS_INDEXES.contains(step.classification().command())) {
                    continue;
                }
                indexedTables(step.statement()).forEach((table, leading) -> {
                    String name = SchemaState.normalise(table);
                    Set<Leading> prefixes = byTable.computeIfAbsent(name, t -> new HashSet<>());
                    leading.stream().filter(columns -> seen.add(List.of(name, columns)))
                            .forEach(columns -> prefixes.addAll(Leading.prefixes(columns)));
                });
            }
            return byTable;
        });
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

    /**
     * The tables a statement builds indexes on, with the leading columns of each. Each reading of
     * the statement is done once: this runs over every statement of the file.
     */
    private static Map<String, List<List<String>>> indexedTables(Statement s) {
        if (s.tokens().isEmpty() || !(s.tokens().get(0).isWord("CREATE") || s.tokens().get(0).isWord("ALTER"))) {
            return Map.of(); // what the three readings below all need
        }
        Optional<Ddl.Index> index = Ddl.createIndex(s);
        if (index.isPresent()) {
            // A CREATE INDEX is neither of the tables read below.
            return Map.of(index.get().table(), List.of(index.get().leading()));
        }
        if (!namesKey(s.tokens())) {
            return Map.of(); // a table's own indexes come from its keys; reading the rest of a long file's tables found none
        }
        Map<String, List<List<String>>> out = new java.util.HashMap<>();
        // A statement is a CREATE TABLE or an ALTER TABLE, never both, and either one's indexes are on its own table.
        Ddl.createTable(s).ifPresent(t -> out.computeIfAbsent(t.name(), x -> new ArrayList<>()).addAll(indexed(t)));
        Ddl.alterTable(s).ifPresent(a -> out.computeIfAbsent(a.table(), x -> new ArrayList<>()).addAll(indexed(s, a)));
        return out;
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
        t.columns().stream().filter(c -> c.primaryKey() || c.unique()).forEach(c -> out.add(List.of(c.name())));
        t.constraints().forEach(c -> keyIndex(c).ifPresent(out::add));
        return out;
    }

    /** The leading columns of each index an ALTER TABLE builds. */
    private static List<List<String>> indexed(Statement s, Ddl.Alter alter) {
        List<List<String>> out = new ArrayList<>();
        alter.actions().forEach(a -> {
            Ddl.addedColumn(s, alter.table(), a).filter(c -> c.primaryKey() || c.unique()).ifPresent(c -> out.add(List.of(c.name())));
            Ddl.addedConstraint(a).flatMap(FkWithoutIndex::keyIndex).ifPresent(out::add);
        });
        return out;
    }

    private static Optional<List<String>> keyIndex(Ddl.Constraint c) {
        return c.kind().equals("PRIMARY KEY") || c.kind().equals("UNIQUE") ? Optional.of(c.columns()) : Optional.empty();
    }
}
