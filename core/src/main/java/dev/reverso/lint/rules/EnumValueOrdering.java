package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;

import java.util.List;
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
            Optional<String> last = lastLabel(Ddl.enumsCreatedBefore(ctx), v.type());
            String add = "ALTER TYPE " + v.type() + " ADD VALUE " + (v.ifNotExists() ? "IF NOT EXISTS " : "") + v.label();
            ctx.report("ADD VALUE " + v.label() + " without BEFORE or AFTER sorts it after every existing value of "
                            + v.type() + ": ORDER BY, <, >, min() and max() on " + v.type() + " columns treat it as the "
                            + "greatest, which may not be what the value means",
                    last.map(l -> add + " AFTER " + l + ";").orElse(add + " BEFORE '<existing value>';  -- or AFTER: "
                            + "say where it sorts"));
        });
    }


    /** The last label of the latest creation of the enum, read from the end: a long file creates many. */
    private static Optional<String> lastLabel(List<Ddl.EnumType> created, String type) {
        for (int i = created.size() - 1; i >= 0; i--) {
            Ddl.EnumType e = created.get(i);
            if (Ddl.sameTable(e.name(), type) && !e.labels().isEmpty()) {
                return Optional.of(e.labels().get(e.labels().size() - 1));
            }
        }
        return Optional.empty();
    }
}
