package dev.reverso.lint.rules;

import java.util.Optional;
import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;

/** #28: ADD COLUMN ... NOT NULL (or PRIMARY KEY) without a DEFAULT on a table this migration did not create. */
final class AddColumnRequired implements Rule {

    @Override
    public String id() {
        return "add-column-required";
    }

    @Override
    public boolean handles(String command) {
        // Ddl.alterTable reads statements that start with ALTER.
        return command.startsWith("ALTER");
    }

    @Override
    public Severity severity() {
        return Severity.ERROR;
    }

    @Override
    public void check(StatementContext ctx) {
        if (Ddl.alterExistingTable(ctx).isEmpty()) {
            return;
        }
        for (Optional<Ddl.Column> added : Ddl.addedColumns(ctx)) {
            if (added.isEmpty()) {
                continue;
            }
            Ddl.Column column = added.get();
            boolean filled = column.hasDefault() || column.identity() || column.generatedExpression() || column.type().serial();
            if (column.notNull() && !filled) {
                report(ctx, column);
            }
        }
    }

    private static void report(StatementContext ctx, Ddl.Column column) {
        String table = column.table();
        String name = column.name();
        String how = column.primaryKey() ? "PRIMARY KEY (which implies NOT NULL)" : "NOT NULL";
        ctx.report("ADD COLUMN " + name + " " + how + " without a DEFAULT on " + table
                        + ": it fails with 23502 (column \"" + name + "\" contains null values) as soon as " + table
                        + " has a row, and inserts from the running app version, which does not set " + name + ", fail",
                "ALTER TABLE " + table + " ADD COLUMN " + name + " " + column.type().text()
                        + " NOT NULL DEFAULT <constant>;  -- PG11+: a constant default needs no rewrite\n"
                        + "-- or: ADD COLUMN " + name + " " + column.type().text() + " (nullable), backfill in batches, then "
                        + "ADD CONSTRAINT ... CHECK (" + name + " IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT, SET NOT NULL");
    }
}
