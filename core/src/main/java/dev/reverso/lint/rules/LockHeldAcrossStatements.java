package dev.reverso.lint.rules;

import dev.reverso.engine.Step;
import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.sql.LockMode;

import java.util.Set;

/**
 * #24: a slow statement runs in the same transaction after an earlier statement took ACCESS
 * EXCLUSIVE on an existing table, so that lock is held for the slow statement's whole run. Not
 * for a VALIDATE step that validate-in-same-transaction reports.
 */
final class LockHeldAcrossStatements implements Rule {

    @Override
    public String id() {
        return "lock-held-across-statements";
    }

    @Override
    public boolean handles(String command) {
        // Only what Tokens.slowReason can call slow.
        return Tokens.MAY_BE_SLOW.contains(command);
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    @Override
    public void check(StatementContext ctx) {
        if (!ctx.migration().runsInTransaction()) {
            return;
        }
        String slow = Tokens.slowReason(ctx);
        if (slow == null || Tokens.validateUnderEarlierLock(ctx) != null) {
            return;
        }
        Step earlier = Tokens.earlierLock(ctx, null, Set.of(LockMode.ACCESS_EXCLUSIVE));
        if (earlier == null) {
            return;
        }
        String held = Tokens.accessExclusiveRelation(ctx, earlier);
        ctx.report("a slow step (" + slow + ") runs in the same transaction as line " + earlier.line() + " (" + earlier.summary()
                        + "), which holds ACCESS EXCLUSIVE on " + held + " until commit: every read and write of " + held
                        + " waits for this statement too",
                "split the migration: commit right after the ACCESS EXCLUSIVE step (line " + earlier.line()
                        + ") and run this slow step in its own migration");
    }
}
