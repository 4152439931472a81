package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.lint.TableDdl;

import java.util.List;
import java.util.Optional;

/** #14: ADD CONSTRAINT UNIQUE / ADD COLUMN ... UNIQUE builds the unique index under ACCESS EXCLUSIVE. */
final class AddUniqueConstraint implements Rule {

    @Override
    public String id() {
        return "add-unique-constraint";
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
        for (TableDdl.Action action : alter.get().actions()) {
            Optional<TableDdl.TableConstraint> constraint = action.addConstraint();
            List<String> columns;
            String name;
            if (constraint.isPresent() && constraint.get().kind().equals("UNIQUE") && !constraint.get().usingIndex()) {
                columns = constraint.get().columns();
                name = constraint.get().name() != null ? constraint.get().name() : bare + "_" + String.join("_", columns) + "_key";
            } else {
                Optional<TableDdl.ColumnDef> added = action.addColumn();
                if (added.isEmpty() || !added.get().unique() || added.get().primaryKey()) {
                    continue;
                }
                columns = List.of(added.get().name());
                name = bare + "_" + added.get().name() + "_key";
            }
            String cols = String.join(", ", columns);
            ctx.report("ADD UNIQUE (" + cols + ") builds its unique index on " + table
                            + " under ACCESS EXCLUSIVE: reads and writes wait for the whole build",
                    "CREATE UNIQUE INDEX CONCURRENTLY " + name + " ON " + table + " (" + cols + ");  -- alone, no-transaction\n"
                            + "-- in a later migration:\n"
                            + "ALTER TABLE " + table + " ADD CONSTRAINT " + name + " UNIQUE USING INDEX " + name + ";");
        }
    }
}
