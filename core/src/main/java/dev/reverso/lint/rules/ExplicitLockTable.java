package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;

/** #23: LOCK TABLE in a migration: held until commit, usually stronger than the statements need. */
final class ExplicitLockTable implements Rule {

    @Override
    public String id() {
        return "explicit-lock-table";
    }

    @Override
    public boolean handles(String command) {
        return command.equals("LOCK TABLE");
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    @Override
    public void check(StatementContext ctx) {
        if (!ctx.classification().command().equals("LOCK TABLE") || Tokens.allTargetsNew(ctx)) {
            return;
        }
        String mode = ctx.classification().lock().sqlName();
        String tables = String.join(", ", ctx.classification().targets());
        String scope = ctx.migration().runsInTransaction()
                ? "it is held until the migration commits"
                : "outside a transaction block it fails (LOCK TABLE can only be used in transaction blocks)";
        ctx.report("LOCK TABLE " + tables + " IN " + mode + " MODE blocks " + ctx.classification().lock().blocks()
                        + " on " + tables + "; " + scope + ", and every statement after it runs under it",
                "drop the LOCK TABLE and rely on each statement's own lock; keep the transaction short (one slow step per migration)");
    }
}
