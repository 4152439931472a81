package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;

/** #37: DROP SCHEMA or DROP DATABASE in a migration. */
final class DropSchemaOrDatabase implements Rule {

    @Override
    public String id() {
        return "drop-schema-or-database";
    }

    @Override
    public boolean handles(String command) {
        return command.equals("DROP SCHEMA") || command.equals("DROP DATABASE");
    }

    @Override
    public Severity severity() {
        return Severity.ERROR;
    }

    @Override
    public void check(StatementContext ctx) {
        String command = ctx.classification().command();
        if (!command.equals("DROP SCHEMA") && !command.equals("DROP DATABASE")) {
            return;
        }
        String what = command.substring(5).toLowerCase(java.util.Locale.ROOT);
        int at = Ddl.at(ctx.tokens(), 2, "IF", "EXISTS") ? 4 : 2;
        String name = Ddl.qualifiedName(ctx.tokens(), at).map(Ddl.Name::text).orElse("");
        boolean cascade = Ddl.has(ctx.tokens(), "CASCADE");
        ctx.report(command + " " + name + " destroys every object and row in the " + what
                        + (cascade ? ", CASCADE included, without listing them" : "")
                        + (what.equals("database") ? "; it also cannot run inside a transaction" : ""),
                "do not drop a " + what + " from a migration: retire it by hand after a backup, or drop the objects "
                        + "one by one so each drop is reviewed");
    }
}
