package dev.reverso.lint.rules;

import dev.reverso.engine.Step;
import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.sql.LockMode;

/**
 * #26: a statement whose lock blocks the application runs without a lock_timeout: after the file
 * sets it to 0 (or RESETs it, or sets it TO DEFAULT), or, when the runner does not set one, unless
 * the file sets a non-zero one first. Once per file, at the first such statement.
 */
final class MissingLockTimeout implements Rule {

    @Override
    public String id() {
        return "missing-lock-timeout";
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    @Override
    public boolean oncePerFile() {
        return true;
    }

    @Override
    public void check(StatementContext ctx) {
        if (!uncovered(ctx, ctx.step(), Tokens.settingBefore(ctx, "lock_timeout"))) {
            return;
        }
        if (!strong(ctx, ctx.step())) {
            return;
        }
        boolean disabled = "zero".equals(Tokens.settingBefore(ctx, "lock_timeout"));
        String why = disabled
                ? "this file disables lock_timeout (SET lock_timeout = 0, TO DEFAULT or RESET) before it"
                : "Reverso's runner lock_timeout is turned off and the file sets none";
        ctx.report(ctx.classification().command() + " needs " + ctx.classification().lock().sqlName() + " on "
                        + String.join(", ", ctx.classification().targets()) + ", and " + why
                        + ": while it waits behind a running query, every later query on the table queues behind it",
                disabled
                        ? "remove the SET lock_timeout = 0 / RESET and let Reverso's runner set lock_timeout and retry"
                        : "turn Reverso's runner lock_timeout back on (it sets a short one and retries), or SET lock_timeout = '2s';"
                        + " at the top of the file");
    }

    private static boolean uncovered(StatementContext ctx, Step step, String fileSetting) {
        if ("zero".equals(fileSetting)) {
            return true;
        }
        return !ctx.settings().runnerLockTimeout() && !"set".equals(fileSetting);
    }

    private static boolean strong(StatementContext ctx, Step step) {
        return step.classification().lock().conflictsWith(LockMode.ROW_EXCLUSIVE)
                && step.classification().lockCertain()
                && !(step.classification().targets().size() > 0
                && step.classification().targets().stream().allMatch(ctx::createdInThisMigration));
    }
}
