package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.lint.TableDdl;

/** #21: REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks readers of the view for the whole refresh. */
final class RefreshMatviewNonConcurrent implements Rule {

    @Override
    public String id() {
        return "refresh-matview-non-concurrent";
    }

    @Override
    public boolean handles(String command) {
        return command.equals("REFRESH MATERIALIZED VIEW");
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    @Override
    public void check(StatementContext ctx) {
        if (!ctx.classification().command().equals("REFRESH MATERIALIZED VIEW")
                || Tokens.find(ctx.tokens(), "CONCURRENTLY") >= 0
                || TableDdl.hasWords(ctx.tokens(), "WITH", "NO", "DATA")) {
            return;
        }
        String view = Tokens.firstTarget(ctx);
        if (view == null || ctx.createdInThisMigration(view) || Tokens.find(ctx.tokens(), "VIEW") < 0) {
            return;
        }
        boolean unique = ctx.schema().indexesOn(view).stream()
                .anyMatch(i -> i.unique() && !i.partial() && i.columns().stream().noneMatch(c -> c.startsWith("(")));
        String rewrite = Tokens.insertAfter(ctx, ctx.tokens().get(Tokens.find(ctx.tokens(), "VIEW")),
                Tokens.kw(ctx, "CONCURRENTLY")) + ";"
                + (unique ? "" : "  -- needs a unique index on plain columns of " + view
                + " (none is known): CREATE UNIQUE INDEX CONCURRENTLY ... ON " + view + " (...); first");
        ctx.report("REFRESH MATERIALIZED VIEW " + view + " takes ACCESS EXCLUSIVE on it: every query reading " + view
                + " waits for the whole refresh", rewrite);
    }

}
