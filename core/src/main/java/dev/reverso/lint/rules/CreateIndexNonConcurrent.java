package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.sql.ObjectChange;
import dev.reverso.sql.ObjectKind;

/** #1: CREATE INDEX without CONCURRENTLY on a table this migration did not create. */
final class CreateIndexNonConcurrent implements Rule {

    @Override
    public String id() {
        return "create-index-non-concurrent";
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    @Override
    public void check(StatementContext ctx) {
        if (!ctx.classification().command().equals("CREATE INDEX")) {
            return;
        }
        String table = ctx.classification().targets().isEmpty() ? null : ctx.classification().targets().get(0);
        if (table == null || ctx.createdInThisMigration(table)) {
            return;
        }
        String rewrite = ctx.sql().replaceFirst("(?i)^(create\\s+(unique\\s+)?index)\\s+", "$1 concurrently ")
                + ";  -- alone in its migration; Reverso runs it outside a transaction";
        ctx.report("CREATE INDEX takes a SHARE lock on " + table + ": every insert, update and delete waits for the whole build",
                rewrite);
    }

    /** Used by rules that need the index name. */
    static String indexName(StatementContext ctx) {
        return ctx.classification().change().filter(ch -> ch.kind() == ObjectKind.INDEX
                && ch.action() == ObjectChange.Action.CREATE).map(ObjectChange::name).orElse("the_index");
    }
}
