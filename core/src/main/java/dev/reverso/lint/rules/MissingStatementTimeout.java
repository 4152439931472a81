package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;

/**
 * #27 (info): a long-running statement with no statement_timeout to bound it. Deliberately
 * conservative, once per file at the first such statement: it fires after the file disables
 * statement_timeout itself (SET statement_timeout = 0, TO DEFAULT, RESET), or, when no runner
 * statement_timeout is configured and the file sets none, for a bulk data change (UPDATE,
 * DELETE, MERGE, INSERT ... SELECT) on an existing table, whose run time depends on the data.
 * Slow DDL is left to the specific lock rules, which already recommend the bounded forms.
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
    public void check(StatementContext ctx) {
        String setting = Tokens.settingBefore(ctx, "statement_timeout");
        String slow = Tokens.slowReason(ctx);
        if (slow == null || "set".equals(setting) || isConcurrent(ctx)) {
            return;
        }
        boolean disabled = "zero".equals(setting);
        boolean dml = isBulkDml(ctx);
        if (!disabled && (ctx.settings().runnerStatementTimeout() || !dml)) {
            return;
        }
        if (firstEarlier(ctx)) {
            return;
        }
        ctx.report(slow + " has no statement_timeout"
                        + (disabled ? " (this file disables it before the statement)" : " (none configured for the runner)")
                        + ": if it runs long it holds its locks for as long as it runs, and nothing stops it",
                "configure the runner's statement_timeout (long enough for the migration's slowest step), or SET"
                        + " statement_timeout = '15min'; at the top of the file");
    }

    private static boolean isConcurrent(StatementContext ctx) {
        return ctx.classification().command().contains("CONCURRENTLY");
    }

    private static boolean isBulkDml(StatementContext ctx) {
        String c = ctx.classification().command();
        return c.equals("UPDATE") || c.equals("DELETE") || c.equals("MERGE") || c.equals("INSERT");
    }

    /** Whether an earlier statement in the file was already reported (the same test, simplified to "slow DML or disabled"). */
    private static boolean firstEarlier(StatementContext ctx) {
        String state = null;
        for (var step : ctx.before()) {
            String change = Tokens.settingChange(step, "statement_timeout");
            if (change != null) {
                state = change;
                continue;
            }
            String c = step.classification().command();
            java.util.List<String> targets = step.classification().targets();
            boolean onNew = !targets.isEmpty() && ctx.createdInThisMigration(targets.get(0));
            boolean dml = (c.equals("UPDATE") || c.equals("DELETE") || c.equals("MERGE")) && !onNew
                    || c.equals("INSERT") && dev.reverso.lint.TableDdl.hasWord(step.statement().tokens(), "SELECT");
            if ("set".equals(state)) {
                continue;
            }
            if ("zero".equals(state) && slowish(step) && !onNew || !ctx.settings().runnerStatementTimeout() && dml) {
                return true;
            }
        }
        return false;
    }

    private static boolean slowish(dev.reverso.engine.Step step) {
        String c = step.classification().command();
        return !c.contains("CONCURRENTLY") && (c.equals("UPDATE") || c.equals("DELETE") || c.equals("MERGE")
                || c.equals("INSERT") || c.equals("CREATE INDEX") || c.equals("ALTER TABLE") || c.equals("REINDEX")
                || c.equals("CLUSTER") || c.equals("REFRESH MATERIALIZED VIEW") || c.equals("CREATE TABLE AS"));
    }
}
