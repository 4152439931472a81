package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.lint.TableDdl;

import java.util.Optional;

/** #11: ADD CONSTRAINT CHECK without NOT VALID, or an inline CHECK on ADD COLUMN, on an existing table. */
final class AddCheckWithoutNotValid implements Rule {

    @Override
    public String id() {
        return "add-check-without-not-valid";
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
            if (constraint.isPresent() && constraint.get().kind().equals("CHECK") && !constraint.get().notValid()) {
                TableDdl.TableConstraint c = constraint.get();
                String expr = Tokens.text(ctx, c.checkExpression());
                String name = c.name() != null ? c.name()
                        : bare + "_" + TableDdl.firstColumn(c.checkExpression()).orElse("x") + "_check";
                ctx.report("ADD CONSTRAINT " + (c.name() == null ? "" : name + " ") + "CHECK " + expr + " scans every row of "
                                + table + " under ACCESS EXCLUSIVE, blocking reads and writes for the whole scan",
                        "ALTER TABLE " + table + " ADD CONSTRAINT " + name + " CHECK " + expr + " NOT VALID;\n"
                                + "-- in a later migration:\n"
                                + "ALTER TABLE " + table + " VALIDATE CONSTRAINT " + name + ";");
                continue;
            }
            Optional<TableDdl.ColumnDef> added = action.addColumn();
            if (added.isPresent() && added.get().check()) {
                TableDdl.ColumnDef col = added.get();
                String expr = Tokens.text(ctx, col.checkExpression());
                String name = bare + "_" + col.name() + "_check";
                ctx.report("the inline CHECK " + expr + " on ADD COLUMN " + col.name() + " scans every row of " + table
                                + " under ACCESS EXCLUSIVE (even though the new column is all NULL), and cannot be NOT VALID",
                        "ALTER TABLE " + table + " ADD COLUMN " + col.name() + " " + Tokens.text(ctx, col.typeTokens()) + ";\n"
                                + "ALTER TABLE " + table + " ADD CONSTRAINT " + name + " CHECK " + expr + " NOT VALID;\n"
                                + "-- in a later migration:\n"
                                + "ALTER TABLE " + table + " VALIDATE CONSTRAINT " + name + ";");
            }
        }
    }
}
