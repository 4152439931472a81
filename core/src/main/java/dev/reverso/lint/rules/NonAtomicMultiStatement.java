package dev.reverso.lint.rules;

import dev.reverso.engine.Step;
import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.sql.ObjectChange;
import dev.reverso.sql.Statement;
import dev.reverso.sql.Token;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * #32: in a migration that runs outside a transaction, a statement that cannot run twice
 * (CREATE without IF NOT EXISTS, DROP without IF EXISTS, ADD COLUMN without IF NOT EXISTS, a
 * named constraint, a rename...) followed by another statement: if a later one fails, re-running
 * the file fails on this one. Reverso journals each step and resumes after the last one done, so
 * this is a warning about manual re-runs and other tools, not a certain failure.
 */
final class NonAtomicMultiStatement implements Rule {

    private static final Set<String> RELATION_KINDS = Set.of("TABLE", "INDEX", "VIEW", "MATERIALIZED VIEW", "SEQUENCE");

    @Override
    public String id() {
        return "non-atomic-multi-statement";
    }

    @Override
    public boolean handles(String command) {
        // RerunFailures knows no other command.
        return command.startsWith("CREATE ") || command.startsWith("DROP ") || command.startsWith("ALTER ");
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    @Override
    public void check(StatementContext ctx) {
        if (ctx.migration().runsInTransaction() || ctx.classification().transactionControl() || nothingFollows(ctx)) {
            return;
        }
        List<String> failures = rerunFailures(ctx);
        if (failures.isEmpty()) {
            return;
        }
        boolean concurrentIndex = ctx.classification().command().equals("CREATE INDEX CONCURRENTLY");
        ctx.report("this migration runs outside a transaction (" + why(ctx) + "), so if a later statement fails this one "
                        + "stays done, and re-running the file hits " + String.join("; ", failures)
                        + ". Reverso's journal resumes after the last step that succeeded, but a manual re-run does not",
                concurrentIndex
                        ? "put the CREATE INDEX CONCURRENTLY alone in its own migration (not IF NOT EXISTS: a failed build "
                        + "leaves an invalid index that IF NOT EXISTS would keep)"
                        : "one non-transactional statement per migration, the others in a transactional one; "
                        + "or guard the statement with IF [NOT] EXISTS so it can run twice");
    }

    /** Whether only transaction control (or nothing) follows the statement: then no later failure can strand it. */
    private static boolean nothingFollows(StatementContext ctx) {
        List<Step> steps = ctx.migration().steps();
        for (int i = ctx.index() + 1; i < steps.size(); i++) {
            if (!steps.get(i).classification().transactionControl()) {
                return false;
            }
        }
        return true;
    }

    private static String why(StatementContext ctx) {
        return ctx.perFile("non-atomic-multi-statement:why", migration -> migration.steps().stream()
                .filter(step -> !step.classification().transactional() && !step.classification().transactionControl())
                .findFirst()
                .map(step -> step.classification().command() + " at line " + step.line() + " cannot run in one")
                .orElse("it is marked -- reverso:no-transaction"));
    }

    /** What running the statement a second time fails with; empty if it can run twice. */
    static List<String> rerunFailures(StatementContext ctx) {
        Step step = ctx.step();
        Statement s = step.statement();
        String command = step.classification().command();
        Optional<ObjectChange> change = step.classification().change();
        List<String> failures = new ArrayList<>();
        if (command.startsWith("CREATE ")) {
            boolean guarded = Ddl.at(s.tokens(), 1, "OR", "REPLACE") || Ddl.find(s.tokens(), "IF", "NOT", "EXISTS") >= 0;
            if (!guarded) {
                failures.add(objectWord(command, change, true) + " \"" + change.map(ObjectChange::name).orElse("...")
                        + "\" already exists");
            }
        } else if (command.startsWith("DROP ")) {
            if (Ddl.find(s.tokens(), "IF", "EXISTS") < 0) {
                failures.add(objectWord(command, change, false) + " \"" + change.map(ObjectChange::name).orElse("...")
                        + "\" does not exist");
            }
        } else if (command.equals("ALTER TYPE")) {
            Ddl.addValue(ctx).filter(v -> !v.ifNotExists())
                    .ifPresent(v -> failures.add("enum label " + v.label() + " already exists"));
            if (Ddl.has(s.tokens(), "RENAME")) {
                failures.add("the old name no longer exists");
            }
        } else if (command.startsWith("ALTER ")) {
            Optional<Ddl.Alter> alter = Ddl.alterTable(ctx);
            if (alter.isPresent()) {
                for (List<Token> action : alter.get().actions()) {
                    Optional<String> failure = alterFailure(alter.get().table(), action);
                    if (failure.isPresent()) {
                        failures.add(failure.get());
                    }
                }
            } else if (Ddl.has(s.tokens(), "RENAME")) {
                failures.add("the old name no longer exists");
            }
        }
        return failures;
    }

    private static Optional<String> alterFailure(String table, List<Token> action) {
        String of = " of relation \"" + table + "\"";
        if (Ddl.at(action, 0, "ADD")) {
            Optional<Ddl.Constraint> constraint = Ddl.addedConstraint(action);
            if (constraint.isPresent()) {
                return Optional.of(constraint.get().name().map(n -> "constraint \"" + n + "\"" + of + " already exists")
                        .orElse(constraint.get().kind().equals("PRIMARY KEY")
                                ? "multiple primary keys for table \"" + table + "\" are not allowed"
                                : "no error but a second copy of the unnamed " + constraint.get().kind() + " constraint"));
            }
            if (Ddl.find(action, "IF", "NOT", "EXISTS") < 0 && action.size() > 1) {
                int i = Ddl.at(action, 1, "COLUMN") ? 2 : 1;
                return Optional.of("column \"" + word(action, i) + "\"" + of + " already exists");
            }
        } else if (Ddl.at(action, 0, "DROP") && Ddl.find(action, "IF", "EXISTS") < 0 && action.size() > 1) {
            boolean constraint = Ddl.at(action, 1, "CONSTRAINT");
            int i = constraint || Ddl.at(action, 1, "COLUMN") ? 2 : 1;
            return Optional.of((constraint ? "constraint \"" : "column \"") + word(action, i) + "\"" + of
                    + " does not exist");
        } else if (Ddl.at(action, 0, "RENAME")) {
            return Optional.of(Ddl.at(action, 1, "TO") ? "relation \"" + table + "\" does not exist"
                    : "the old name no longer exists");
        }
        return Optional.empty();
    }

    private static String word(List<Token> action, int i) {
        return i < action.size() && Ddl.isIdent(action.get(i)) ? Ddl.name(action.get(i)) : "...";
    }

    /** How PostgreSQL's error names the object: CREATE says "relation" for every relation kind. */
    private static String objectWord(String command, Optional<ObjectChange> change, boolean create) {
        String kind = change.map(ch -> ch.kind().name().replace('_', ' '))
                .orElse(command.substring(command.indexOf(' ') + 1)).replace(" CONCURRENTLY", "");
        boolean relation = RELATION_KINDS.contains(kind);
        return create && relation ? "relation" : kind.toLowerCase(Locale.ROOT);
    }
}
