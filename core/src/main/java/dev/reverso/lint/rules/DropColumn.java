package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.sql.Token;

import java.util.List;
import java.util.Optional;

/** #35: ALTER TABLE ... DROP COLUMN on a table this migration did not create. */
final class DropColumn implements Rule {

    @Override
    public String id() {
        return "drop-column";
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
        String table = alter.get().table();
        for (List<Token> action : alter.get().actions()) {
            Optional<String> dropped = dropped(action);
            if (dropped.isEmpty()) {
                continue;
            }
            String column = dropped.get();
            ctx.report("dropping " + table + "." + column + " deletes its data, and app versions "
                            + "still running that read or write " + column + " fail (ORMs cache column lists "
                            + "at start-up)",
                    "expand/contract: stop reading and writing " + table + "." + column
                            + " in the app (ORMs: mark it ignored), deploy, then in a later release: ALTER TABLE "
                            + table + " DROP COLUMN " + column + ";");
        }
    }

    /** The column of {@code DROP [COLUMN] [IF EXISTS] name}. */
    static Optional<String> dropped(List<Token> action) {
        if (!Ddl.at(action, 0, "DROP") || Ddl.at(action, 1, "CONSTRAINT")) {
            return Optional.empty();
        }
        int i = Ddl.at(action, 1, "COLUMN") ? 2 : 1;
        i = Ddl.at(action, i, "IF", "EXISTS") ? i + 2 : i;
        return i < action.size() && Ddl.isIdent(action.get(i)) ? Optional.of(Ddl.name(action.get(i))) : Optional.empty();
    }
}
