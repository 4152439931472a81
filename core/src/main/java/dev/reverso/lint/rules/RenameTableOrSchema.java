package dev.reverso.lint.rules;

import java.util.Optional;
import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.sql.Token;

import java.util.List;

/**
 * #39: ALTER TABLE / VIEW / MATERIALIZED VIEW / FOREIGN TABLE ... RENAME TO, on a relation this
 * migration did not create, and ALTER SCHEMA ... RENAME TO.
 */
final class RenameTableOrSchema implements Rule {

    @Override
    public String id() {
        return "rename-table-or-schema";
    }

    @Override
    public boolean handles(String command) {
        // It reads statements that start with ALTER.
        return command.startsWith("ALTER");
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    @Override
    public void check(StatementContext ctx) {
        List<Token> t = ctx.tokens();
        if (Ddl.at(t, 0, "ALTER", "SCHEMA")) {
            Ddl.qualifiedName(t, 2).filter(n -> Ddl.at(t, n.end(), "RENAME", "TO")).ifPresent(n -> {
                String to = n.end() + 2 < t.size() ? Ddl.name(t.get(n.end() + 2)) : "...";
                ctx.report("renaming schema " + n.text() + " to " + to + " breaks every running app version and every "
                                + "search_path, view body or function that names " + n.text(),
                        "keep the schema name; or create schema " + to + ", move objects one at a time leaving views "
                                + "in " + n.text() + " (CREATE VIEW " + n.text() + ".x AS SELECT * FROM " + to
                                + ".x), and drop " + n.text() + " once nothing uses it");
            });
            return;
        }
        Optional<Ddl.Alter> alter = Ddl.alterExistingTable(ctx);
        if (alter.isEmpty()) {
            return;
        }
        for (List<Token> a : alter.get().actions()) {
            if (!(Ddl.at(a, 0, "RENAME", "TO") && a.size() > 2 && Ddl.isIdent(a.get(2)))) {
                continue;
            }
            String from = alter.get().table();
            String to = Ddl.name(a.get(2));
            String kind = Ddl.at(t, 1, "TABLE") ? "TABLE" : t.get(1).upper().equals("VIEW") ? "VIEW"
                    : Ddl.at(t, 1, "MATERIALIZED") ? "MATERIALIZED VIEW" : "FOREIGN TABLE";
            ctx.report("renaming " + from + " to " + to + " breaks every running app version that still "
                            + "queries " + from + ": 42P01 (relation does not exist) until the new "
                            + "version is deployed",
                    "ALTER " + kind + " " + from + " RENAME TO " + to + ";\nCREATE VIEW " + from
                            + " AS SELECT * FROM " + to + ";  -- same migration; a simple view is "
                            + "updatable, so old code keeps working; drop the view in a later release");
        }
    }
}
