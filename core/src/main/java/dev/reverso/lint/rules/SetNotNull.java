package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.SchemaState;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.lint.TableDdl;

import java.util.Optional;

/**
 * #10: SET NOT NULL scans the table under ACCESS EXCLUSIVE, unless (PostgreSQL 12+) a validated
 * {@code CHECK (c IS NOT NULL)} proves it, or the column is already NOT NULL.
 */
final class SetNotNull implements Rule {

    @Override
    public String id() {
        return "set-not-null";
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
        int major = ctx.settings().serverMajor();
        for (TableDdl.Action action : alter.get().actions()) {
            Optional<TableDdl.AlterColumn> altered = action.alterColumn();
            if (altered.isEmpty() || !altered.get().setNotNull()) {
                continue;
            }
            String column = altered.get().column();
            SchemaState schema = ctx.schema();
            if (schema.column(table, column).map(SchemaState.Column::notNull).orElse(false)
                    || major >= 12 && schema.hasValidatedNotNullCheck(table, column)) {
                continue;
            }
            String check = TableDdl.name(ctx.tokens(), 2).map(TableDdl.Name::last).orElse(table) + "_" + column + "_not_null";
            if (major < 12) {
                ctx.report("SET NOT NULL on " + table + "." + column + " scans the whole table under ACCESS EXCLUSIVE, blocking reads"
                                + " and writes, and fails if a NULL exists; PostgreSQL " + major + " cannot use a CHECK to skip the scan",
                        "keep a validated CHECK (" + column + " IS NOT NULL) constraint instead of NOT NULL until the server is"
                                + " PostgreSQL 12+, or run the SET NOT NULL in a maintenance window");
                return;
            }
            ctx.report("SET NOT NULL on " + table + "." + column + " scans the whole table under ACCESS EXCLUSIVE, blocking reads"
                            + " and writes for the scan, and fails if a NULL exists (no validated CHECK (" + column
                            + " IS NOT NULL) is known that would let PostgreSQL skip the scan)",
                    "ALTER TABLE " + table + " ADD CONSTRAINT " + check + " CHECK (" + column + " IS NOT NULL) NOT VALID;\n"
                            + "-- in a later migration:\n"
                            + "ALTER TABLE " + table + " VALIDATE CONSTRAINT " + check + ";\n"
                            + "-- in a later migration (the validated CHECK lets SET NOT NULL skip the scan):\n"
                            + "ALTER TABLE " + table + " ALTER COLUMN " + column + " SET NOT NULL;\n"
                            + "ALTER TABLE " + table + " DROP CONSTRAINT " + check + ";");
        }
    }
}
