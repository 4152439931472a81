package dev.reverso.lint.rules;

import dev.reverso.sql.Token;
import java.util.List;
import java.util.Optional;
import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;

/** #41: ALTER TABLE ... ALTER COLUMN c DROP NOT NULL on a table this migration did not create. */
final class DropNotNull implements Rule {

    @Override
    public String id() {
        return "drop-not-null";
    }

    @Override
    public boolean handles(String command) {
        // Ddl.alterTable reads statements that start with ALTER.
        return command.startsWith("ALTER");
    }

    @Override
    public Severity severity() {
        return Severity.INFO;
    }

    @Override
    public void check(StatementContext ctx) {
        Optional<Ddl.Alter> existing = Ddl.alterExistingTable(ctx);
        if (existing.isEmpty()) {
            return;
        }
        String table = existing.get().table();
        for (List<Token> a : existing.get().actions()) {
            Optional<String> column = Ddl.has(a, "DROP", "NOT", "NULL") ? Ddl.alteredColumn(a) : Optional.empty();
            if (column.isPresent()) {
                ctx.report(table + "." + column.get() + " may hold NULL from now on: app code, reports "
                                + "and queries that assume it never does (NOT IN, joins, sums) start to "
                                + "misbehave once the first NULL is written",
                        "drop NOT NULL only after every reader of " + table + "." + column.get()
                                + " handles NULL; keep this statement, with a suppression saying so");
            }
        }
    }
}
