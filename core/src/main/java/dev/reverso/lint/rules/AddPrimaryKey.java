package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.SchemaState;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.lint.TableDdl;

import java.util.List;
import java.util.Optional;

/**
 * #15: ADD PRIMARY KEY builds its index under ACCESS EXCLUSIVE, and scans for NULLs on columns
 * not yet NOT NULL. {@code ADD PRIMARY KEY USING INDEX} is flagged only when a column is known
 * to be nullable (then the implicit SET NOT NULL scans).
 */
final class AddPrimaryKey implements Rule {

    @Override
    public String id() {
        return "add-primary-key";
    }

    @Override
    public boolean handles(String command) {
        // It reads only ALTER TABLE (Tokens.alterExistingTable).
        return command.equals("ALTER TABLE");
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    @Override
    public void check(StatementContext ctx) {
        Optional<TableDdl.AlterTable> alter = Tokens.alterExistingTable(ctx);
        if (alter.isEmpty()) {
            return;
        }
        String table = alter.get().table();
        String bare = TableDdl.name(ctx.tokens(), 2).map(TableDdl.Name::last).orElse(table);
        SchemaState schema = ctx.schema();
        for (TableDdl.Action action : alter.get().actions()) {
            Optional<TableDdl.TableConstraint> constraint = action.addConstraint();
            List<String> columns;
            boolean usingIndex = false;
            String name;
            if (constraint.isPresent() && constraint.get().kind().equals("PRIMARY KEY")) {
                TableDdl.TableConstraint c = constraint.get();
                usingIndex = c.usingIndex();
                name = c.name() != null ? c.name() : bare + "_pkey";
                if (usingIndex) {
                    int i = TableDdl.indexOfWord(c.body(), 0, "INDEX");
                    String index = i + 1 < c.body().size() ? TableDdl.ident(c.body().get(i + 1)) : null;
                    columns = index == null ? List.of() : schema.index(index).map(SchemaState.Index::columns).orElse(List.of());
                } else {
                    columns = c.columns();
                }
            } else {
                Optional<TableDdl.ColumnDef> added = action.addColumn();
                if (added.isEmpty() || !added.get().primaryKey()) {
                    continue;
                }
                columns = List.of(added.get().name());
                name = bare + "_pkey";
            }
            List<String> nullable = columns.stream().filter(col -> schema.column(table, col)
                    .map(k -> !k.notNull()).orElse(false)
                    && !(ctx.settings().serverMajor() >= 12 && schema.hasValidatedNotNullCheck(table, col))).toList();
            boolean nullabilityUnknown = columns.stream().anyMatch(col -> schema.column(table, col).isEmpty());
            if (usingIndex && nullable.isEmpty()) {
                continue;
            }
            String cols = String.join(", ", columns);
            String scan = !nullable.isEmpty() ? ", plus a scan for NULLs in " + String.join(", ", nullable)
                    + " (not NOT NULL yet)" : nullabilityUnknown ? ", plus a NULL scan if a column is still nullable" : "";
            String message = usingIndex
                    ? "ADD PRIMARY KEY USING INDEX on " + table + " sets NOT NULL on " + String.join(", ", nullable)
                    + ", which scans the table under ACCESS EXCLUSIVE"
                    : "ADD PRIMARY KEY (" + cols + ") on " + table + " builds its index under ACCESS EXCLUSIVE" + scan
                    + ": reads and writes wait for all of it";
            String notNull = String.join("", columns.stream().map(col ->
                    "ALTER TABLE " + table + " ADD CONSTRAINT " + bare + "_" + col + "_not_null CHECK (" + col
                            + " IS NOT NULL) NOT VALID;  -- VALIDATE it in a later migration, then SET NOT NULL\n").toList());
            if (usingIndex) {
                ctx.report(message, notNull + "-- in a later migration, after VALIDATE and SET NOT NULL:\n" + ctx.sql() + ";");
                continue;
            }
            ctx.report(message, "CREATE UNIQUE INDEX CONCURRENTLY " + name + " ON " + table + " (" + cols + ");  -- alone, no-transaction\n"
                    + notNull
                    + "-- in a later migration, once every column is NOT NULL:\n"
                    + "ALTER TABLE " + table + " ADD CONSTRAINT " + name + " PRIMARY KEY USING INDEX " + name + ";");
        }
    }
}
