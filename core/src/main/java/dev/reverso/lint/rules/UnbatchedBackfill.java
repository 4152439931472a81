package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.SchemaState;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.lint.TableDdl;
import dev.reverso.sql.Token;
import dev.reverso.sql.TokenType;

import java.util.List;
import java.util.Set;

/**
 * #25: a whole-table UPDATE / DELETE / INSERT ... SELECT as one statement: long row locks, a WAL
 * burst, bloat, replica lag. A statement is one batch only when {@link BatchBound} finds a key
 * range, a bounded list or a LIMIT, or it picks named rows by equality; no WHERE, a WHERE of
 * {@code IS [NOT] NULL} tests (the backfill pattern), or a filter such as {@code created_at <
 * '2020-01-01'} still takes every matching row at once. A table created earlier in the migration
 * is exempt.
 */
final class UnbatchedBackfill implements Rule {

    private static final Set<String> NULL_TEST_WORDS = Set.of("IS", "NOT", "NULL", "AND", "OR", "TRUE");

    @Override
    public String id() {
        return "unbatched-backfill";
    }

    @Override
    public boolean handles(String command) {
        // A statement that starts with UPDATE, DELETE or INSERT has that command.
        return command.equals("UPDATE") || command.equals("DELETE") || command.equals("INSERT");
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    @Override
    public void check(StatementContext ctx) {
        List<Token> t = ctx.tokens();
        if (t.isEmpty()) {
            return;
        }
        String table = Tokens.firstTarget(ctx);
        if (table == null) {
            return;
        }
        if (t.get(0).isWord("UPDATE") || t.get(0).isWord("DELETE")) {
            if (ctx.createdInThisMigration(table) || BatchBound.limited(t)) {
                return;
            }
            int where = BatchBound.where(t, 0);
            String how;
            if (where < 0) {
                how = "has no WHERE: it changes every row of " + table;
            } else if (onlyNullTests(t.subList(where + 1, BatchBound.end(t, where)))) {
                how = "filters only on IS [NOT] NULL: it still changes every row that needs the backfill";
            } else if (!BatchBound.bounds(t.subList(where + 1, BatchBound.end(t, where)), BatchBound.keys(ctx.schema(),
                    List.of(table)))) {
                how = "filters on no key range: it changes every matching row of " + table;
            } else {
                return;
            }
            ctx.report(t.get(0).upper() + " " + how + " in one statement: it holds row locks on all of them until commit,"
                            + " writes a burst of WAL (replica lag) and leaves bloat",
                    batched(ctx, t, where, key(ctx.schema(), table)) + ";  -- one key range per statement in a"
                            + " -- reverso:no-transaction migration, or a job that loops over the ranges with a pause"
                            + " between them");
            return;
        }
        if (t.get(0).isWord("INSERT") && TableDdl.hasWord(t, "SELECT")) {
            int select = TableDdl.indexOfWord(t, 0, "SELECT");
            List<Token> query = t.subList(select, t.size());
            if (TableDdl.indexOfWord(query, 0, "FROM") < 0 || BatchBound.limited(query)) {
                return;
            }
            List<String> sources = ctx.classification().targets().stream().skip(1).toList();
            if (!sources.isEmpty() && sources.stream().allMatch(ctx::createdInThisMigration)) {
                return;
            }
            int where = BatchBound.where(t, select);
            if (where >= 0 && BatchBound.bounds(t.subList(where + 1, BatchBound.end(t, where)),
                    BatchBound.keys(ctx.schema(), sources))) {
                return;
            }
            String rows = where < 0 ? "every row of " : "every row matching its WHERE (which bounds no key range) of ";
            ctx.report("INSERT ... SELECT copies " + rows + String.join(", ", sources) + " into " + table
                            + " in one statement: one long transaction, a burst of WAL (replica lag) and bloat on failure",
                    batched(ctx, t, where, sources.isEmpty() ? "<key>" : key(ctx.schema(), sources.get(0)))
                            + ";  -- one key range per statement in a -- reverso:no-transaction migration, or a job");
        }
    }

    /** The statement with a key range added to its WHERE (or as its WHERE), before RETURNING, ORDER BY and the like. */
    private static String batched(StatementContext ctx, List<Token> t, int where, String key) {
        String range = key + " >= :lo AND " + key + " < :lo + 10000";
        if (where < 0) {
            // An INSERT's range goes after the SELECT's FROM list; an UPDATE's or DELETE's at the end, before RETURNING.
            int end = BatchBound.end(t, t.get(0).isWord("INSERT") ? TableDdl.indexOfWord(t, 0, "FROM") : 0);
            String rest = Tokens.text(ctx, t.subList(end, t.size()));
            return Tokens.text(ctx, t.subList(0, end)) + " WHERE " + range + (rest.isEmpty() ? "" : " " + rest);
        }
        int end = BatchBound.end(t, where);
        List<Token> condition = t.subList(where + 1, end);
        String rest = Tokens.text(ctx, t.subList(end, t.size()));
        String cond = Tokens.text(ctx, condition);
        return Tokens.text(ctx, t.subList(0, where + 1)) + " "
                + (BatchBound.hasTopLevelOr(condition) ? "(" + cond + ")" : cond) + " AND " + range
                + (rest.isEmpty() ? "" : " " + rest);
    }

    private static boolean onlyNullTests(List<Token> condition) {
        boolean sawNull = false;
        for (Token tok : condition) {
            if (tok.isSymbol("(") || tok.isSymbol(")") || tok.isSymbol(".")) {
                continue;
            }
            if (tok.type() == TokenType.WORD && NULL_TEST_WORDS.contains(tok.upper())) {
                sawNull |= tok.isWord("NULL");
                continue;
            }
            if (tok.type() == TokenType.QUOTED_IDENT || tok.type() == TokenType.WORD) {
                continue;
            }
            return false;
        }
        return sawNull;
    }

    private static String key(SchemaState schema, String table) {
        return schema.constraints(table).stream()
                .filter(c -> c.kind().equals("PRIMARY KEY") && c.columns().size() == 1)
                .map(c -> c.columns().get(0)).findFirst().orElse("id");
    }
}
