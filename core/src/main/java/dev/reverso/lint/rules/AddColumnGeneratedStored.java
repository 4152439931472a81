package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.lint.TableDdl;

import java.util.Optional;

/** #8: ADD COLUMN ... GENERATED ALWAYS AS (...) STORED computes every existing row: a rewrite. */
final class AddColumnGeneratedStored implements Rule {

    @Override
    public String id() {
        return "add-column-generated-stored";
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
            if (added.isEmpty() || !added.get().generatedStored()) {
                continue;
            }
            TableDdl.ColumnDef col = added.get();
            String virtual = ctx.settings().serverMajor() >= 18
                    ? "; on PostgreSQL 18 a VIRTUAL generated column (drop STORED) needs no rewrite" : "";
            ctx.report("ADD COLUMN " + col.name() + " GENERATED ... STORED computes and writes the value for every existing row: "
                            + table + " is rewritten under ACCESS EXCLUSIVE, blocking reads and writes for the whole rewrite"
                            + virtual,
                    (ctx.settings().serverMajor() >= 18
                            ? Tokens.without(ctx, ctx.tokens().get(Tokens.find(ctx.tokens(), "STORED"))) + ";  -- virtual: computed on read\n-- or: "
                            : "")
                            + "ALTER TABLE " + table + " ADD COLUMN " + col.name() + " " + Tokens.text(ctx, col.typeTokens())
                            + "; then a BEFORE INSERT OR UPDATE trigger that sets it, then a batched backfill of existing rows");
        }
    }
}
