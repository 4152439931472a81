package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;

/**
 * #27 (info): a statement whose run time grows with the table (an index build, concurrent or
 * not, a validation, a rewrite, a bulk data change) with no statement_timeout to bound it: none
 * configured for Reverso's runner and none set by the file, or the file disables it. Once per
 * file, at the first such statement: one SET at the top fixes them all.
 */
final class MissingStatementTimeout implements Rule {

    @Override
    public String id() {
        return "missing-statement-timeout";
    }

    @Override
    public Severity severity() {
        return Severity.INFO;
    }

    @Override
    public boolean oncePerFile() {
        return true;
    }

    @Override
    public void check(StatementContext ctx) {
        String setting = Tokens.settingBefore(ctx, "statement_timeout");
        String slow = isConcurrent(ctx) ? concurrentReason(ctx) : Tokens.slowReason(ctx);
        if (slow == null || "set".equals(setting)) {
            return;
        }
        boolean disabled = "zero".equals(setting);
        if (!disabled && ctx.settings().runnerStatementTimeout()) {
            return;
        }
        ctx.report("no statement_timeout bounds this statement (" + slow + "): "
                        + (disabled ? "this file disables it before the statement" : "none is configured for the runner")
                        + ", so if it runs long it holds its locks for as long as it runs, and nothing stops it",
                "configure the runner's statement_timeout (reverso --statement-timeout, long enough for the slowest step), or SET"
                        + " statement_timeout = '15min'; at the top of the file");
    }

    /** A concurrent build or reindex does not block writes, but still runs for O(table). */
    private static String concurrentReason(StatementContext ctx) {
        java.util.List<String> targets = ctx.classification().targets();
        String target = targets.isEmpty() ? null : targets.get(0);
        if (target != null && ctx.createdInThisMigration(target)) {
            return null;
        }
        String c = ctx.classification().command();
        return (c.startsWith("REINDEX") ? "a concurrent reindex" : c.startsWith("REFRESH") ? "a concurrent refresh"
                : "a concurrent index build")
                + (target == null ? "" : " on " + target);
    }

    private static boolean isConcurrent(StatementContext ctx) {
        String c = ctx.classification().command();
        return c.equals("CREATE INDEX CONCURRENTLY") || c.startsWith("REINDEX") && c.contains("CONCURRENTLY")
                || c.equals("REFRESH MATERIALIZED VIEW CONCURRENTLY");
    }

}
