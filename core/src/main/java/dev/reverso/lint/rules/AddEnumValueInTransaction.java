package dev.reverso.lint.rules;

import dev.reverso.engine.Step;
import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.sql.TokenType;

import java.util.List;
import java.util.Optional;

/**
 * #30: ALTER TYPE ... ADD VALUE in a migration Reverso runs in one transaction: before PostgreSQL
 * 12 it fails; from 12 on, the new value cannot be used in the same transaction. An enum created
 * earlier in the same migration is exempt: PostgreSQL allows both then.
 */
final class AddEnumValueInTransaction implements Rule {

    @Override
    public String id() {
        return "add-enum-value-in-transaction";
    }

    @Override
    public boolean handles(String command) {
        // Ddl.addValue reads statements that start with ALTER TYPE.
        return command.startsWith("ALTER");
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    @Override
    public void check(StatementContext ctx) {
        Optional<Ddl.AddValue> added = Ddl.addValue(ctx);
        if (added.isEmpty() || !ctx.migration().runsInTransaction()) {
            return;
        }
        Ddl.AddValue value = added.get();
        boolean typeIsNew = createdBefore(Ddl.enumsCreatedBefore(ctx), value.type());
        if (typeIsNew) {
            return;
        }
        String alone = "put ALTER TYPE " + value.type() + " ADD VALUE " + value.label()
                + " alone in a migration that starts with -- reverso:no-transaction, and use the value from a later migration";
        if (ctx.settings().serverMajor() < 12) {
            ctx.report("on PostgreSQL " + ctx.settings().serverMajor() + ", ALTER TYPE ... ADD VALUE cannot run inside a "
                    + "transaction block (25001), and Reverso runs this migration in one", alone);
            return;
        }
        ctx.after().stream().filter(step -> uses(step, value)).findFirst().ifPresent(use ->
                ctx.report("enum " + value.type() + " gets " + value.label() + " in the transaction Reverso runs this "
                                + "migration in, and line " + use.line() + " uses it before the commit: it fails with 55P04 "
                                + "(unsafe use of new value " + value.label() + ")",
                        "move ALTER TYPE " + value.type() + " ADD VALUE " + value.label()
                                + " to its own migration before this one; use the value from the next migration on"));
    }

    private static boolean uses(Step step, Ddl.AddValue value) {
        return !step.classification().command().equals("ALTER TYPE") && step.statement().tokens().stream()
                .anyMatch(t -> t.type() == TokenType.STRING && t.text().equals(value.label()));
    }

    /** Whether the enum was created earlier in the file, looked for from the end: a long file creates many. */
    private static boolean createdBefore(List<Ddl.EnumType> created, String type) {
        for (int i = created.size() - 1; i >= 0; i--) {
            if (Ddl.sameTable(created.get(i).name(), type)) {
                return true;
            }
        }
        return false;
    }
}
