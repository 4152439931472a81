package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.SchemaState;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;

import java.util.List;
import java.util.stream.Collectors;

/** #2: DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE on the index's table. */
final class DropIndexNonConcurrent implements Rule {

    @Override
    public String id() {
        return "drop-index-non-concurrent";
    }

    @Override
    public boolean handles(String command) {
        return command.equals("DROP INDEX");
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    @Override
    public void check(StatementContext ctx) {
        if (!ctx.classification().command().equals("DROP INDEX")) {
            return;
        }
        List<String> names = ctx.classification().targets();
        if (names.isEmpty()) {
            return;
        }
        // Exempt when every index dropped is on a table this migration created.
        boolean allOnNewTables = names.stream().allMatch(n -> ctx.schema().index(n).map(SchemaState.Index::table)
                .map(ctx::createdInThisMigration).orElse(false));
        if (allOnNewTables) {
            return;
        }
        String tables = names.stream().map(n -> ctx.schema().index(n).map(SchemaState.Index::table)
                .map(t -> "table " + t).orElse("its table")).distinct().collect(Collectors.joining(", "));
        String drop = Tokens.kw(ctx, "DROP INDEX CONCURRENTLY IF EXISTS ");
        String rewrite = names.stream().map(n -> drop + n + ";").collect(Collectors.joining("\n"))
                + "  -- each alone in its migration; Reverso runs it outside a transaction"
                + (Tokens.find(ctx.tokens(), "CASCADE") >= 0 ? " (CONCURRENTLY cannot CASCADE: drop dependants first)" : "");
        ctx.report("DROP INDEX " + String.join(", ", names) + " takes ACCESS EXCLUSIVE on " + tables
                + ": quick, but it queues behind any running query on the table and every read and write queues behind it",
                rewrite);
    }

}
