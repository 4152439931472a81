package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;

/**
 * A design rule about the type of a column that CREATE TABLE or ALTER TABLE ADD COLUMN defines
 * (or ALTER COLUMN TYPE sets): it reports each matching column, with the definition or statement
 * rewritten to the better type.
 */
abstract class ColumnTypeRule implements Rule {

    @Override
    public Severity severity() {
        return Severity.INFO;
    }

    @Override
    public boolean handles(String command) {
        // Ddl.typedColumns reads CREATE TABLE and ALTER TABLE, whose commands start so.
        return command.startsWith("CREATE") || command.startsWith("ALTER");
    }

    @Override
    public void check(StatementContext ctx) {
        for (Ddl.Column column : Ddl.typedColumns(ctx)) {
            if (applies(column)) {
                ctx.report(message(column), column.withType(replacement(column)));
            }
        }
    }

    /** Whether the column has the type this rule is about. */
    abstract boolean applies(Ddl.Column column);

    /** Why, naming the column. */
    abstract String message(Ddl.Column column);

    /** The type (and constraints, if any) to write instead. */
    abstract String replacement(Ddl.Column column);

    static String qualified(Ddl.Column column) {
        return column.table() + "." + column.name();
    }
}
