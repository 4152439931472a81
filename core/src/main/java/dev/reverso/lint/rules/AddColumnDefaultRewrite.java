package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.lint.TableDdl;
import dev.reverso.sql.Token;

import java.util.List;
import java.util.Optional;

/**
 * #6: ADD COLUMN with a DEFAULT that forces a table rewrite under ACCESS EXCLUSIVE: a volatile
 * default on any version, any non-NULL default before PostgreSQL 11. A call to a function the
 * linter cannot judge (a user function) is reported as a warning, since only its volatility
 * decides.
 */
final class AddColumnDefaultRewrite implements Rule {

    @Override
    public String id() {
        return "add-column-default-rewrite";
    }

    @Override
    public boolean handles(String command) {
        // It reads only ALTER TABLE (Tokens.alterExistingTable).
        return command.equals("ALTER TABLE");
    }

    @Override
    public Severity severity() {
        return Severity.ERROR;
    }

    @Override
    public void check(StatementContext ctx) {
        Optional<TableDdl.AlterTable> alter = Tokens.alterExistingTable(ctx);
        if (alter.isEmpty()) {
            return;
        }
        String table = alter.get().table();
        for (TableDdl.Action action : alter.get().actions()) {
            Optional<TableDdl.ColumnDef> added = action.addColumn();
            if (added.isEmpty() || added.get().serial() || added.get().identity() || added.get().generatedStored()) {
                continue; // serial, identity and stored generated columns are rules 7 and 8
            }
            TableDdl.ColumnDef col = added.get();
            Optional<List<Token>> def = col.defaultExpression();
            if (def.isEmpty() || Tokens.isNullDefault(def.get())) {
                continue;
            }
            String expr = Tokens.text(ctx, def.get());
            Tokens.DefaultKind kind = Tokens.defaultKind(def.get());
            String rewrite = rewrite(ctx, table, col, expr);
            String rewrites = " rewrites every row of " + table + " under ACCESS EXCLUSIVE: reads and writes wait for the whole rewrite";
            if (kind.volatility() == Tokens.Volatility.VOLATILE) {
                ctx.report("ADD COLUMN " + col.name() + " DEFAULT " + expr + ": " + kind.function()
                        + "() is VOLATILE, so each existing row needs its own value and the statement" + rewrites, rewrite);
            } else if (ctx.settings().serverMajor() < 11) {
                ctx.report("ADD COLUMN " + col.name() + " DEFAULT " + expr + ": before PostgreSQL 11 any non-NULL default"
                        + rewrites, rewrite);
            } else if (kind.volatility() == Tokens.Volatility.UNKNOWN_FUNCTION) {
                ctx.report(Severity.WARNING, "ADD COLUMN " + col.name() + " DEFAULT " + expr + ": if " + kind.function()
                        + "() is VOLATILE the statement" + rewrites + " (Reverso cannot see the function's volatility;"
                        + " STABLE or IMMUTABLE is evaluated once and needs no rewrite)", rewrite);
            }
        }
    }

    private static String rewrite(StatementContext ctx, String table, TableDdl.ColumnDef col, String expr) {
        String type = Tokens.text(ctx, col.typeTokens());
        return "ALTER TABLE " + table + " ADD COLUMN " + col.name() + " " + type + ";\n"
                + "ALTER TABLE " + table + " ALTER COLUMN " + col.name() + " SET DEFAULT " + expr + ";\n"
                + "-- then backfill existing rows in key-range batches, committing between them (a no-transaction migration or a job):\n"
                + "-- UPDATE " + table + " SET " + col.name() + " = " + expr + " WHERE id >= :lo AND id < :lo + 10000 AND "
                + col.name() + " IS NULL;";
    }
}
