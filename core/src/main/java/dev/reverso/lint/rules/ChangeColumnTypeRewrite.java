package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.lint.TableDdl;

import java.util.Optional;

/**
 * #9: ALTER COLUMN TYPE that is not binary-coercible rewrites the table and rebuilds its indexes
 * under ACCESS EXCLUSIVE. With the old type known from the replayed schema, the changes that are
 * only a catalog update (varchar to text, a longer varchar, more numeric precision at the same
 * scale...) are cleared; with it unknown, the rule fires and says so.
 */
final class ChangeColumnTypeRewrite implements Rule {

    @Override
    public String id() {
        return "change-column-type-rewrite";
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
            Optional<TableDdl.AlterColumn> altered = action.alterColumn();
            if (altered.isEmpty() || altered.get().newType().isEmpty()) {
                continue;
            }
            TableDdl.AlterColumn a = altered.get();
            String newType = TableDdl.normaliseType(a.newType().get());
            Optional<String> oldType = ctx.schema().columnType(table, a.column());
            if (!a.using() && oldType.isPresent() && Tokens.noRewriteReason(oldType.get(), newType) != null) {
                continue;
            }
            String change = oldType.map(o -> "from " + o + " to " + newType)
                    .orElse("to " + newType + " (the old type is unknown to the linter: no earlier migration declared it)");
            String why = a.using() ? "a USING expression always rewrites"
                    : oldType.isEmpty() ? "it rewrites unless the change is binary-coercible"
                    : timestampNote(ctx, oldType.get(), newType);
            String column = a.column();
            String tmp = column + "_new";
            int using = TableDdl.indexOfWord(a.rest(), 0, "USING");
            String backfill = using >= 0 ? Tokens.text(ctx, a.rest().subList(using + 1, a.rest().size()))
                    : column + "::" + newType;
            ctx.report("changing " + table + "." + column + " " + change + ": " + why + "; the table is rewritten and its indexes"
                            + " rebuilt under ACCESS EXCLUSIVE, blocking reads and writes for the whole rewrite",
                    "ALTER TABLE " + table + " ADD COLUMN " + tmp + " " + Tokens.text(ctx, a.newType().get()) + ";\n"
                            + "-- a trigger copying " + column + " into " + tmp + " on insert and update, then a batched backfill:\n"
                            + "-- UPDATE " + table + " SET " + tmp + " = " + backfill
                            + " WHERE id >= :lo AND id < :lo + 10000;\n"
                            + "-- then, in a later migration, swap the columns (rename) and drop the old one");
        }
    }

    private static String timestampNote(StatementContext ctx, String oldType, String newType) {
        boolean tz = (oldType.startsWith("timestamp") && newType.startsWith("timestamp"));
        if (tz && ctx.settings().serverMajor() >= 12) {
            return "timestamp and timestamptz convert through the session TimeZone; PostgreSQL 12+ skips the rewrite only"
                    + " when it is UTC, which the linter cannot see";
        }
        return "it is not binary-coercible";
    }
}
