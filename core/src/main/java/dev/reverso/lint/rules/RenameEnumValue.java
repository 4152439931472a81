package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.sql.Token;
import dev.reverso.sql.TokenType;

import java.util.List;

/** #40: ALTER TYPE ... RENAME VALUE 'old' TO 'new'. */
final class RenameEnumValue implements Rule {

    @Override
    public String id() {
        return "rename-enum-value";
    }

    @Override
    public boolean handles(String command) {
        // It reads statements that start with ALTER TYPE.
        return command.startsWith("ALTER");
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    @Override
    public void check(StatementContext ctx) {
        List<Token> t = ctx.tokens();
        if (!Ddl.at(t, 0, "ALTER", "TYPE")) {
            return;
        }
        Ddl.qualifiedName(t, 2).filter(n -> Ddl.at(t, n.end(), "RENAME", "VALUE")).ifPresent(n -> {
            int i = n.end() + 2;
            boolean shape = i + 2 < t.size() && t.get(i).type() == TokenType.STRING && t.get(i + 2).type() == TokenType.STRING;
            String from = shape ? t.get(i).text() : "'old'";
            String to = shape ? t.get(i + 2).text() : "'new'";
            ctx.report("renaming value " + from + " of enum " + n.text() + " to " + to + " breaks every running app "
                            + "version that writes or compares " + from + ": 22P02 (invalid input value for enum)",
                    "ALTER TYPE " + n.text() + " ADD VALUE " + to + ";  -- in its own migration\n"
                            + "-- then make the app accept both, backfill: UPDATE <table> SET <column> = " + to + " WHERE "
                            + "<column> = " + from + " (in batches), and stop writing " + from
                            + " (an enum value cannot be dropped; leave it or recreate the type later)");
        });
    }
}
