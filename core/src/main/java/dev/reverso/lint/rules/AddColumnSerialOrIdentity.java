package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.lint.TableDdl;

import java.util.Optional;

/** #7: ADD COLUMN serial / bigserial / GENERATED ... AS IDENTITY fills every existing row: a rewrite. */
final class AddColumnSerialOrIdentity implements Rule {

    @Override
    public String id() {
        return "add-column-serial-or-identity";
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
            if (added.isEmpty() || !(added.get().serial() || added.get().identity())) {
                continue;
            }
            TableDdl.ColumnDef col = added.get();
            String what = col.serial() ? Tokens.text(ctx, col.typeTokens()) : "an identity column";
            String type = col.serial() ? (col.type().equals("integer") ? "integer" : col.type()) : Tokens.text(ctx, col.typeTokens());
            String seq = TableDdl.name(ctx.tokens(), 2).map(TableDdl.Name::last).orElse(table) + "_" + col.name() + "_seq";
            ctx.report("ADD COLUMN " + col.name() + " as " + what + " gives every existing row a value from a sequence: "
                            + table + " is rewritten under ACCESS EXCLUSIVE, blocking reads and writes for the whole rewrite",
                    "CREATE SEQUENCE " + seq + ";\n"
                            + "ALTER TABLE " + table + " ADD COLUMN " + col.name() + " " + type + ";\n"
                            + "ALTER TABLE " + table + " ALTER COLUMN " + col.name() + " SET DEFAULT nextval('" + seq + "');\n"
                            + "ALTER SEQUENCE " + seq + " OWNED BY " + table + "." + col.name() + ";\n"
                            + "-- then backfill existing rows in batches: UPDATE " + table + " SET " + col.name()
                            + " = nextval('" + seq + "') WHERE id >= :lo AND id < :lo + 10000 AND " + col.name() + " IS NULL;");
        }
    }
}
