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
 * burst, bloat, replica lag. "Whole table" is read from the text: no WHERE, or a WHERE made only
 * of {@code IS [NOT] NULL} tests (the backfill pattern), or an INSERT ... SELECT FROM with no
 * WHERE or LIMIT. A table created earlier in the migration is exempt.
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
            if (ctx.createdInThisMigration(table)) {
                return;
            }
            int where = TableDdl.indexOfWord(t, 0, "WHERE");
            String how;
            if (where < 0) {
                how = "has no WHERE: it changes every row of " + table;
            } else if (onlyNullTests(t.subList(where + 1, end(t, where + 1)))) {
                how = "filters only on IS [NOT] NULL: it still changes every row that needs the backfill";
            } else {
                return;
            }
            String key = key(ctx.schema(), table);
            String batch = where < 0
                    ? ctx.sql() + " WHERE " + key + " >= :lo AND " + key + " < :lo + 10000"
                    : Tokens.text(ctx, t.subList(0, end(t, where + 1))) + " AND " + key + " >= :lo AND " + key + " < :lo + 10000";
            ctx.report(t.get(0).upper() + " " + how + " in one statement: it holds row locks on all of them until commit,"
                            + " writes a burst of WAL (replica lag) and leaves bloat",
                    batch + ";  -- one key range per statement in a -- reverso:no-transaction migration, or a job that"
                            + " loops over the ranges with a pause between them");
            return;
        }
        if (t.get(0).isWord("INSERT") && TableDdl.hasWord(t, "SELECT")) {
            int select = TableDdl.indexOfWord(t, 0, "SELECT");
            List<Token> query = t.subList(select, t.size());
            if (TableDdl.indexOfWord(query, 0, "FROM") < 0 || TableDdl.hasWord(query, "WHERE")
                    || TableDdl.hasWord(query, "LIMIT") || TableDdl.hasWord(query, "FETCH")) {
                return;
            }
            List<String> sources = ctx.classification().targets().stream().skip(1).toList();
            if (!sources.isEmpty() && sources.stream().allMatch(ctx::createdInThisMigration)) {
                return;
            }
            ctx.report("INSERT ... SELECT copies every row of " + String.join(", ", sources) + " into " + table
                            + " in one statement: one long transaction, a burst of WAL (replica lag) and bloat on failure",
                    ctx.sql() + " WHERE <key> >= :lo AND <key> < :lo + 10000;  -- one key range per statement in a"
                            + " -- reverso:no-transaction migration, or a job");
        }
    }

    /** The end of a WHERE clause: RETURNING or the end of the statement. */
    private static int end(List<Token> t, int from) {
        int returning = TableDdl.indexOfWord(t, from, "RETURNING");
        return returning < 0 ? t.size() : returning;
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
