package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.lint.TableDdl;
import dev.reverso.sql.Token;

import java.util.List;
import java.util.Optional;

/**
 * #22: ALTER DOMAIN ADD CONSTRAINT (without NOT VALID) or SET NOT NULL scans every column using
 * the domain under SHARE on those tables (warning); CREATE DOMAIN with a CHECK makes later
 * changes of that check costly (info). A domain created earlier in the migration is exempt from
 * the ALTER case.
 */
final class DomainConstraint implements Rule {

    @Override
    public String id() {
        return "domain-constraint";
    }

    @Override
    public boolean handles(String command) {
        return command.equals("CREATE DOMAIN") || command.equals("ALTER DOMAIN");
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    @Override
    public void check(StatementContext ctx) {
        String command = ctx.classification().command();
        List<Token> t = ctx.tokens();
        Optional<TableDdl.Name> domain = TableDdl.name(t, 2);
        if (domain.isEmpty()) {
            return;
        }
        String name = domain.get().text();
        int after = domain.get().end();
        if (command.equals("CREATE DOMAIN")) {
            if (TableDdl.hasWord(t, "CHECK")) {
                ctx.report(Severity.INFO, "CREATE DOMAIN " + name + " with a CHECK: changing that check later means ALTER DOMAIN,"
                                + " which scans every column of every table using " + name + " under SHARE locks",
                        "prefer a plain type with CHECK constraints on the columns (they can be added NOT VALID and validated"
                                + " per table)");
            }
            return;
        }
        if (!command.equals("ALTER DOMAIN") || createdHere(ctx, name)) {
            return;
        }
        boolean addCheck = TableDdl.at(t, after, "ADD") && !TableDdl.hasWords(t, "NOT", "VALID");
        boolean setNotNull = TableDdl.at(t, after, "SET", "NOT", "NULL");
        if (!addCheck && !setNotNull) {
            return;
        }
        String what = setNotNull ? "SET NOT NULL" : "ADD CONSTRAINT";
        String rewrite;
        if (addCheck) {
            int c = TableDdl.at(t, after + 1, "CONSTRAINT") ? after + 2 : -1;
            String constraint = c > 0 && c < t.size() ? TableDdl.ident(t.get(c)) : name + "_check";
            int from = Math.min(t.size(), c > 0 ? c + 1 : after + 1);
            String body = Tokens.text(ctx, t.subList(from, t.size()));
            rewrite = "ALTER DOMAIN " + name + " ADD CONSTRAINT " + constraint + " " + body + " NOT VALID;\n"
                    + "-- in a later migration:\n"
                    + "ALTER DOMAIN " + name + " VALIDATE CONSTRAINT " + constraint + ";";
        } else {
            rewrite = "ALTER DOMAIN " + name + " ADD CONSTRAINT " + name + "_not_null CHECK (VALUE IS NOT NULL) NOT VALID;\n"
                    + "-- in a later migration:\n"
                    + "ALTER DOMAIN " + name + " VALIDATE CONSTRAINT " + name + "_not_null;";
        }
        ctx.report("ALTER DOMAIN " + name + " " + what + " checks every column of every table that uses " + name
                        + ", holding SHARE on those tables: their writes wait for all the scans", rewrite);
    }

    private static boolean createdHere(StatementContext ctx, String name) {
        java.util.Map<String, Integer> created = ctx.perFile("domain-constraint:created", migration -> {
            java.util.Map<String, Integer> first = new java.util.HashMap<>();
            for (int i = 0; i < migration.steps().size(); i++) {
                var s = migration.steps().get(i);
                if (s.classification().command().equals("CREATE DOMAIN")) {
                    int at = i;
                    TableDdl.name(s.statement().tokens(), 2).ifPresent(n -> first.putIfAbsent(n.text(), at));
                }
            }
            return first;
        });
        Integer at = created.get(name);
        return at != null && at < ctx.index();
    }
}
