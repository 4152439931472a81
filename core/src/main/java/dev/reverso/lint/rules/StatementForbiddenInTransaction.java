package dev.reverso.lint.rules;

import dev.reverso.engine.Step;
import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.lint.TableDdl;

import java.util.List;

/**
 * #4: a statement PostgreSQL refuses in a transaction block (ERROR 25001) inside the file's own
 * BEGIN ... COMMIT. Reverso itself never wraps such a statement (it runs the file in autocommit
 * and drops a BEGIN/COMMIT around the whole file), so the hazard is the atomicity the file asks
 * for and does not get; and {@code ALTER TYPE ... ADD VALUE} on PostgreSQL before 12, which
 * Reverso does run in its transaction.
 */
final class StatementForbiddenInTransaction implements Rule {

    @Override
    public String id() {
        return "statement-forbidden-in-transaction";
    }

    @Override
    public Severity severity() {
        return Severity.ERROR;
    }

    @Override
    public void check(StatementContext ctx) {
        String command = ctx.classification().command();
        boolean inside = Tokens.insideExplicitTransaction(ctx);
        if (!ctx.classification().transactional() && !ctx.classification().transactionControl()) {
            if (!inside) {
                return;
            }
            boolean wrapsFile = wrapsWholeFile(ctx.migration().steps());
            String message = command + " cannot run inside a transaction block (ERROR 25001), and this file wraps it in"
                    + " BEGIN ... COMMIT. "
                    + (wrapsFile
                    ? "Reverso drops a BEGIN/COMMIT around the whole file and runs every statement on its own in autocommit,"
                    + " so the file is NOT atomic as the BEGIN suggests: a failure part-way leaves the earlier statements applied"
                    + " (and psql or another tool would fail with 25001)"
                    : "Reverso refuses a BEGIN that does not wrap the whole file, and PostgreSQL refuses the statement inside one");
            ctx.report(message, "remove BEGIN/COMMIT and move " + command
                    + " alone into its own migration (Reverso runs it outside a transaction); keep the statements that must be"
                    + " atomic together in another migration");
            return;
        }
        boolean addEnumValue = command.equals("ALTER TYPE") && TableDdl.hasWords(ctx.tokens(), "ADD", "VALUE");
        if (addEnumValue && ctx.settings().serverMajor() < 12 && (ctx.migration().runsInTransaction() || inside)) {
            ctx.report("ALTER TYPE ... ADD VALUE cannot run inside a transaction block on PostgreSQL "
                            + ctx.settings().serverMajor() + " (ERROR 25001), and this migration runs in one",
                    "-- reverso:no-transaction\n" + ctx.sql() + ";  -- alone in its own migration");
        }
    }

    private static boolean wrapsWholeFile(List<Step> steps) {
        if (steps.size() < 2) {
            return false;
        }
        String first = steps.get(0).classification().command();
        String last = steps.get(steps.size() - 1).classification().command();
        return (first.equals("BEGIN") || first.equals("START TRANSACTION")) && last.equals("COMMIT");
    }
}
