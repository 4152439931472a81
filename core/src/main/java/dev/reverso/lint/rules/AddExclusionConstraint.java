package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.lint.TableDdl;

import java.util.Optional;

/** #16: ADD CONSTRAINT ... EXCLUDE builds its index under ACCESS EXCLUSIVE; there is no NOT VALID or CONCURRENTLY form. */
final class AddExclusionConstraint implements Rule {

    @Override
    public String id() {
        return "add-exclusion-constraint";
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
        Optional<TableDdl.AlterTable> alter = Tokens.alterExistingTable(ctx);
        if (alter.isEmpty()) {
            return;
        }
        String table = alter.get().table();
        for (TableDdl.Action action : alter.get().actions()) {
            Optional<TableDdl.TableConstraint> constraint = action.addConstraint();
            if (constraint.isEmpty() || !constraint.get().kind().equals("EXCLUDE")) {
                continue;
            }
            String name = constraint.get().name();
            ctx.report("ADD " + (name == null ? "" : "CONSTRAINT " + name + " ") + "EXCLUDE on " + table
                            + " builds its index and checks every row under ACCESS EXCLUSIVE, blocking reads and writes;"
                            + " exclusion constraints have no NOT VALID or CONCURRENTLY form",
                    "declare the exclusion constraint when the table is created; on an existing table, add it in a maintenance"
                            + " window, or enforce the rule with a trigger until then");
        }
    }
}
