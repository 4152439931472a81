package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.lint.TableDdl;

import java.util.List;
import java.util.Optional;

/**
 * #12: ADD FOREIGN KEY without NOT VALID on an existing table scans the child under SHARE ROW
 * EXCLUSIVE on both tables. {@code ADD COLUMN ... REFERENCES} without a DEFAULT is exempt (the
 * new column is all NULL, so no scan); with a non-NULL DEFAULT it is flagged.
 */
final class AddForeignKeyWithoutNotValid implements Rule {

    @Override
    public String id() {
        return "add-foreign-key-without-not-valid";
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
            if (constraint.isPresent() && constraint.get().kind().equals("FOREIGN KEY") && !constraint.get().notValid()) {
                TableDdl.TableConstraint c = constraint.get();
                String parent = c.references().orElse("the referenced table");
                String name = c.name() != null ? c.name() : bare + "_" + String.join("_", c.columns()) + "_fkey";
                String body = Tokens.text(ctx, c.body());
                ctx.report("ADD FOREIGN KEY on " + table + " (" + String.join(", ", c.columns()) + ") scans every row of " + table
                                + " while holding SHARE ROW EXCLUSIVE on " + table + " and " + parent
                                + ": writes to both tables wait for the whole scan",
                        "ALTER TABLE " + table + " ADD CONSTRAINT " + name + " " + body + " NOT VALID;\n"
                                + "-- in a later migration:\n"
                                + "ALTER TABLE " + table + " VALIDATE CONSTRAINT " + name + ";");
                continue;
            }
            Optional<TableDdl.ColumnDef> added = action.addColumn();
            if (added.isEmpty() || added.get().references().isEmpty()) {
                continue;
            }
            TableDdl.ColumnDef col = added.get();
            Optional<List<dev.reverso.sql.Token>> def = col.defaultExpression();
            if (def.isEmpty() || Tokens.isNullDefault(def.get())) {
                continue; // an all-NULL new column is marked valid without a scan
            }
            String parent = col.references().get();
            String name = bare + "_" + col.name() + "_fkey";
            int ref = TableDdl.indexOfWord(col.options(), 0, "REFERENCES");
            String reference = Tokens.text(ctx, referenceClause(col.options(), ref));
            ctx.report("ADD COLUMN " + col.name() + " ... REFERENCES " + parent + " with a DEFAULT checks every row of " + table
                            + " against " + parent + " while holding SHARE ROW EXCLUSIVE on both; an inline reference cannot be NOT VALID",
                    "ALTER TABLE " + table + " ADD COLUMN " + col.name() + " " + Tokens.text(ctx, col.typeTokens()) + " DEFAULT "
                            + Tokens.text(ctx, def.get()) + ";\n"
                            + "ALTER TABLE " + table + " ADD CONSTRAINT " + name + " FOREIGN KEY (" + col.name() + ") " + reference
                            + " NOT VALID;\n"
                            + "-- in a later migration:\n"
                            + "ALTER TABLE " + table + " VALIDATE CONSTRAINT " + name + ";");
        }
    }

    /** REFERENCES parent [(cols)] [ON DELETE ...] up to the next column option. */
    private static List<dev.reverso.sql.Token> referenceClause(List<dev.reverso.sql.Token> options, int ref) {
        int end = ref + 1;
        while (end < options.size()) {
            dev.reverso.sql.Token t = options.get(end);
            if (t.isSymbol("(")) {
                end = TableDdl.closing(options, end) + 1;
                continue;
            }
            if (t.isWord("DEFAULT") || t.isWord("NOT") && !(end + 1 < options.size() && options.get(end + 1).isWord("DEFERRABLE"))
                    || t.isWord("NULL") || t.isWord("CHECK") || t.isWord("UNIQUE") || t.isWord("PRIMARY")
                    || t.isWord("CONSTRAINT") || t.isWord("COLLATE") || t.isWord("GENERATED")) {
                break;
            }
            end++;
        }
        return options.subList(ref, Math.min(end, options.size()));
    }
}
