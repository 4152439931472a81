package dev.reverso.lint.rules;

import dev.reverso.engine.Step;
import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.lint.TableDdl;

import java.util.Optional;

/**
 * #13: VALIDATE CONSTRAINT in the same transaction as an earlier statement that took ACCESS
 * EXCLUSIVE or SHARE ROW EXCLUSIVE on the table: the scan runs under that lock, so NOT VALID
 * bought nothing. Only when Reverso runs the migration in one transaction.
 */
final class ValidateInSameTransaction implements Rule {

    @Override
    public String id() {
        return "validate-in-same-transaction";
    }

    @Override
    public boolean handles(String command) {
        // It reads only ALTER TABLE (Tokens.alterExistingTable).
        return command.equals("ALTER TABLE");
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    @Override
    public void check(StatementContext ctx) {
        Step earlier = Tokens.validateUnderEarlierLock(ctx);
        if (earlier == null) {
            return;
        }
        TableDdl.AlterTable alter = Tokens.alterTable(ctx).orElseThrow();
        Optional<String> name = alter.actions().stream().flatMap(a -> a.validatedConstraint().stream()).findFirst();
        String lock = earlier.classification().locks().stream()
                .filter(l -> l.relation().equals(alter.table()) || dev.reverso.lint.SchemaState.normalise(l.relation())
                        .equals(dev.reverso.lint.SchemaState.normalise(alter.table())))
                .map(l -> l.mode().sqlName()).findFirst().orElse("a strong lock");
        ctx.report("VALIDATE CONSTRAINT " + name.orElse("") + " runs in the same transaction as line " + earlier.line() + " ("
                        + earlier.summary() + "), which holds " + lock + " on " + alter.table()
                        + " until commit: the validating scan runs under that lock, so NOT VALID bought nothing",
                "-- move it to its own, later migration:\n" + ctx.sql() + ";");
    }
}
