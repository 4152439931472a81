package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;

import java.util.Optional;

/** #50: ALTER TYPE ... ADD VALUE without BEFORE or AFTER. */
final class EnumValueOrdering implements Rule {

    @Override
    public String id() {
        return "enum-value-ordering";
    }

    @Override
    public boolean handles(String command) {
        // Ddl.addValue reads statements that start with ALTER TYPE.
        return command.startsWith("ALTER");
    }

    @Override
    public Severity severity() {
        return Severity.INFO;
    }

    @Override
    public void check(StatementContext ctx) {
        Ddl.addValue(ctx).filter(v -> !v.positioned()).ifPresent(v -> {
            Optional<String> last = Ddl.enumsCreatedBefore(ctx).stream()
                    .filter(e -> Ddl.sameTable(e.name(), v.type()) && !e.labels().isEmpty())
                    .map(e -> e.labels().get(e.labels().size() - 1)).reduce((a, b) -> b);
            String add = "ALTER TYPE " + v.type() + " ADD VALUE " + (v.ifNotExists() ? "IF NOT EXISTS " : "") + v.label();
            ctx.report("ADD VALUE " + v.label() + " without BEFORE or AFTER sorts it after every existing value of "
                            + v.type() + ": ORDER BY, <, >, min() and max() on " + v.type() + " columns treat it as the "
                            + "greatest, which may not be what the value means",
                    last.map(l -> add + " AFTER " + l + ";").orElse(add + " BEFORE '<existing value>';  -- or AFTER: "
                            + "say where it sorts"));
        });
    }

}
