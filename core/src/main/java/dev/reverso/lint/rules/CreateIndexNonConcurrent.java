package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.sql.ObjectChange;
import dev.reverso.sql.ObjectKind;
import dev.reverso.sql.Token;

import java.util.List;

/** #1: CREATE INDEX without CONCURRENTLY on a table this migration did not create. */
final class CreateIndexNonConcurrent implements Rule {

    @Override
    public String id() {
        return "create-index-non-concurrent";
    }

    @Override
    public boolean handles(String command) {
        return command.equals("CREATE INDEX");
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
        String table = Tokens.firstTarget(ctx);
        if (table == null || ctx.createdInThisMigration(table)) {
            return;
        }
        String note = ctx.settings().serverMajor() == 14
                ? "; on PostgreSQL 14.0-14.3 CREATE INDEX CONCURRENTLY can silently corrupt the index (fixed in 14.4):"
                + " upgrade the minor version first"
                : "";
        ctx.report("CREATE INDEX takes a SHARE lock on " + table + ": every insert, update and delete waits for the whole build"
                + note, rewrite(ctx) + ";  -- alone in its migration; Reverso runs it outside a transaction");
    }

    /** The statement with CONCURRENTLY after INDEX and without IF NOT EXISTS (see concurrent-index-if-not-exists). */
    static String rewrite(StatementContext ctx) {
        List<Token> t = ctx.tokens();
        int index = Tokens.find(t, "INDEX");
        int base = t.get(0).offset();
        String sql = Tokens.withoutIfNotExists(ctx);
        int at = t.get(index).end() - base;
        return sql.substring(0, at) + " " + Tokens.kw(t.get(index), "CONCURRENTLY") + sql.substring(at);
    }

    /** Used by rules that need the index name. */
    static String indexName(StatementContext ctx) {
        return ctx.classification().change().filter(ch -> ch.kind() == ObjectKind.INDEX
                && ch.action() == ObjectChange.Action.CREATE).map(ObjectChange::name).orElse("the_index");
    }
}
