package dev.reverso.lint.rules;

import dev.reverso.engine.Step;
import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;

import java.util.List;

/**
 * #31: transaction control in a migration other than one BEGIN ... COMMIT around the whole file,
 * which Reverso drops. Reverso refuses any other: BEGIN without COMMIT, COMMIT or ROLLBACK
 * without BEGIN, nested BEGIN, a COMMIT in the middle, SAVEPOINT and the like.
 */
final class UnbalancedTransaction implements Rule {

    private static final String REWRITE = "remove the BEGIN/COMMIT and let Reverso run the file in one transaction; "
            + "to commit in several steps, split the file into several migrations";

    @Override
    public String id() {
        return "unbalanced-transaction";
    }

    @Override
    public Severity severity() {
        return Severity.ERROR;
    }

    @Override
    public void check(StatementContext ctx) {
        if (!ctx.classification().transactionControl()) {
            return;
        }
        List<Step> steps = ctx.migration().steps();
        int last = steps.size() - 1;
        boolean wrapper = last > 0 && begins(steps.get(0)) && commits(steps.get(last));
        if (wrapper && (ctx.index() == 0 || ctx.index() == last)) {
            return;
        }
        Step opened = ctx.perFile("unbalanced-transaction:opened", UnbalancedTransaction::openedBefore)[ctx.index()];
        ctx.report(problem(ctx, opened) + "; Reverso refuses transaction control other than one BEGIN ... COMMIT "
                + "around the whole file", REWRITE);
    }

    /** For each step, the BEGIN still open before it, or null: computed once per file. */
    private static Step[] openedBefore(dev.reverso.lint.MigrationFile migration) {
        Step[] out = new Step[migration.steps().size()];
        Step opened = null;
        for (int i = 0; i < out.length; i++) {
            out[i] = opened;
            Step step = migration.steps().get(i);
            if (begins(step)) {
                opened = opened == null ? step : opened;
            } else if (commits(step) || plainRollback(step)) {
                opened = null;
            }
        }
        return out;
    }

    /** For each step, whether a COMMIT follows it in the file. */
    private static boolean[] commitAfter(dev.reverso.lint.MigrationFile migration) {
        boolean[] out = new boolean[migration.steps().size()];
        boolean seen = false;
        for (int i = out.length - 1; i >= 0; i--) {
            out[i] = seen;
            seen |= commits(migration.steps().get(i));
        }
        return out;
    }

    private static String problem(StatementContext ctx, Step opened) {
        Step step = ctx.step();
        if (begins(step)) {
            if (opened != null) {
                return "nested BEGIN: the transaction opened at line " + opened.line() + " is still open, so PostgreSQL "
                        + "only warns and the next COMMIT ends the outer transaction";
            }
            if (!ctx.perFile("unbalanced-transaction:commit-after", UnbalancedTransaction::commitAfter)[ctx.index()]) {
                return "BEGIN without COMMIT: the transaction is still open at the end of the file and is rolled back "
                        + "when the session ends, silently undoing the migration";
            }
            return "BEGIN ... COMMIT around part of the file: the statements outside it would not be in the same "
                    + "transaction";
        }
        if (commits(step)) {
            return opened == null
                    ? "COMMIT without BEGIN: it would end Reverso's transaction early, so the statements after it run "
                    + "outside it and a failure no longer rolls back the whole migration"
                    : "COMMIT before the end of the file ends the transaction opened at line " + opened.line()
                    + "; the statements after it run outside it";
        }
        if (plainRollback(step)) {
            return opened == null
                    ? "ROLLBACK without BEGIN: it would undo Reverso's own transaction, and the statements after it run "
                    + "outside any"
                    : "ROLLBACK undoes the statements since line " + opened.line() + ", yet the migration would be "
                    + "recorded as applied";
        }
        return step.classification().command() + " inside a migration: savepoints and prepared transactions fight "
                + "the transaction Reverso runs the file in";
    }

    private static boolean begins(Step step) {
        String command = step.classification().command();
        return step.classification().transactionControl()
                && (command.equals("BEGIN") || command.equals("START TRANSACTION"));
    }

    private static boolean commits(Step step) {
        return step.classification().transactionControl() && step.classification().command().equals("COMMIT");
    }

    /** ROLLBACK, not ROLLBACK TO SAVEPOINT. */
    private static boolean plainRollback(Step step) {
        return step.classification().transactionControl() && step.classification().command().equals("ROLLBACK")
                && !Ddl.has(step.statement().tokens(), "TO");
    }
}
