package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.sql.ObjectChange;

/** #5: CREATE INDEX CONCURRENTLY IF NOT EXISTS skips the retry when a failed build left an INVALID index. */
final class ConcurrentIndexIfNotExists implements Rule {

    @Override
    public String id() {
        return "concurrent-index-if-not-exists";
    }

    @Override
    public boolean handles(String command) {
        return command.equals("CREATE INDEX CONCURRENTLY");
    }

    @Override
    public Severity severity() {
        return Severity.INFO;
    }

    @Override
    public void check(StatementContext ctx) {
        if (!ctx.classification().command().equals("CREATE INDEX CONCURRENTLY")
                || !ctx.classification().change().map(ObjectChange::ifExists).orElse(false)) {
            return;
        }
        String name = CreateIndexNonConcurrent.indexName(ctx);
        ctx.report("if an earlier CREATE INDEX CONCURRENTLY of " + name + " failed, it left an INVALID index of that name:"
                        + " IF NOT EXISTS then skips the build and the migration succeeds with an index that is never used"
                        + " but still slows every write",
                Tokens.withoutIfNotExists(ctx)
                        + ";  -- Reverso checks pg_index.indisvalid after the build and drops an invalid index before a retry");
    }
}
