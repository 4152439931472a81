package dev.reverso.lint.rules;

import dev.reverso.sql.Token;
import java.util.List;
import java.util.Optional;
import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;

/** #38: ALTER TABLE (or VIEW) ... RENAME [COLUMN] a TO b, on a relation this migration did not create. */
final class RenameColumn implements Rule {

    @Override
    public String id() {
        return "rename-column";
    }

    @Override
    public boolean handles(String command) {
        // Ddl.alterTable reads statements that start with ALTER.
        return command.startsWith("ALTER");
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    @Override
    public void check(StatementContext ctx) {
        Optional<Ddl.Alter> alter = Ddl.alterExistingTable(ctx);
        if (alter.isEmpty()) {
            return;
        }
        for (List<Token> a : alter.get().actions()) {
            if (!Ddl.at(a, 0, "RENAME") || Ddl.at(a, 1, "TO") || Ddl.at(a, 1, "CONSTRAINT")) {
                continue;
            }
            int i = Ddl.at(a, 1, "COLUMN") ? 2 : 1;
            if (i + 2 >= a.size() || !Ddl.isIdent(a.get(i)) || !Ddl.isIdent(a.get(i + 2))) {
                continue;
            }
            String from = Ddl.name(a.get(i));
            String to = Ddl.name(a.get(i + 2));
            String table = alter.get().table();
            ctx.report("renaming " + table + "." + from + " to " + to + " breaks every running app version that "
                            + "still says " + from + ": its queries fail with 42703 (column does not exist) from "
                            + "the commit until the new version is deployed",
                    "expand/contract: ALTER TABLE " + table + " ADD COLUMN " + to + " <type of " + from + ">; "
                            + "write both columns from the app (or a trigger), backfill " + to + " from " + from
                            + " in batches, switch reads to " + to + ", then drop " + from
                            + " in a later release; or keep the database name and rename only in the app");
        }
    }
}
