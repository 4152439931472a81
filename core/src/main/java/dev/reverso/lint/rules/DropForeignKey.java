package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.sql.Token;

import java.util.List;
import java.util.Optional;

/**
 * #43: ALTER TABLE ... DROP CONSTRAINT of a foreign key. Without the catalog the linter knows a
 * constraint is a foreign key only by its name: PostgreSQL's default {@code <table>_<columns>_fkey},
 * or an {@code fk} / {@code fkey} / {@code foreign} word in it ({@code fk_orders_customer},
 * {@code orders_customer_fk}). A foreign key added earlier in the same migration is not reported:
 * no guarantee that held before is lost.
 */
final class DropForeignKey implements Rule {

    @Override
    public String id() {
        return "drop-foreign-key";
    }

    @Override
    public boolean handles(String command) {
        // Ddl.alterTable reads statements that start with ALTER.
        return command.startsWith("ALTER");
    }

    @Override
    public Severity severity() {
        return Severity.INFO;
    }

    @Override
    public void check(StatementContext ctx) {
        Optional<Ddl.Alter> alter = Ddl.alterExistingTable(ctx);
        if (alter.isEmpty()) {
            return;
        }
        String table = alter.get().table();
        for (List<Token> a : alter.get().actions()) {
            Optional<String> dropped = dropped(a);
            if (dropped.isEmpty() || !looksLikeForeignKey(dropped.get()) || addedEarlier(ctx, dropped.get())) {
                continue;
            }
            String name = dropped.get();
            ctx.report("dropping foreign key " + name + " on " + table
                            + ": the database stops guaranteeing that its rows point at existing parents, "
                            + "and orphans written from now on stay",
                    "confirm the intent; if it is only for a bulk load, add it back afterwards with ALTER TABLE "
                            + table + " ADD CONSTRAINT " + name + " FOREIGN KEY (...) REFERENCES ... "
                            + "NOT VALID, then VALIDATE CONSTRAINT " + name + " in a later migration");
        }
    }

    private static Optional<String> dropped(List<Token> action) {
        if (!Ddl.at(action, 0, "DROP", "CONSTRAINT")) {
            return Optional.empty();
        }
        int i = Ddl.at(action, 2, "IF", "EXISTS") ? 4 : 2;
        return i < action.size() && Ddl.isIdent(action.get(i)) ? Optional.of(Ddl.name(action.get(i))) : Optional.empty();
    }

    private static boolean looksLikeForeignKey(String name) {
        List<String> words = List.of(name.toLowerCase(java.util.Locale.ROOT).split("_"));
        return words.contains("fkey") || words.contains("fk") || words.contains("foreign");
    }

    private static boolean addedEarlier(StatementContext ctx, String name) {
        java.util.Map<String, Integer> added = ctx.perFile("drop-foreign-key:added", migration -> {
            java.util.Map<String, Integer> first = new java.util.HashMap<>();
            for (int k = 0; k < migration.steps().size(); k++) {
                List<Token> t = migration.steps().get(k).statement().tokens();
                for (int i = 0; i + 1 < t.size(); i++) {
                    if (t.get(i).isWord("CONSTRAINT") && Ddl.isIdent(t.get(i + 1))
                            && (Ddl.at(t, i + 2, "FOREIGN") || Ddl.at(t, i + 2, "REFERENCES"))) {
                        first.putIfAbsent(Ddl.name(t.get(i + 1)), k);
                    }
                }
            }
            return first;
        });
        Integer at = added.get(name);
        return at != null && at < ctx.index();
    }
}
