package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.SchemaState;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.lint.TableDdl;
import dev.reverso.sql.Token;

import java.util.List;

/** #3: REINDEX without CONCURRENTLY: SHARE on the table, ACCESS EXCLUSIVE on each index. */
final class ReindexNonConcurrent implements Rule {

    @Override
    public String id() {
        return "reindex-non-concurrent";
    }

    @Override
    public boolean handles(String command) {
        return command.equals("REINDEX");
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    @Override
    public void check(StatementContext ctx) {
        if (!ctx.classification().command().equals("REINDEX")) {
            return;
        }
        List<Token> t = ctx.tokens();
        int i = 1;
        if (i < t.size() && t.get(i).isSymbol("(")) {
            int close = TableDdl.closing(t, i);
            List<Token> options = t.subList(i, Math.min(close, t.size()));
            int c = Tokens.find(options, "CONCURRENTLY");
            if (c >= 0 && !(c + 1 < options.size() && Tokens.find(List.of(options.get(c + 1)), "FALSE") == 0)) {
                return;
            }
            i = close + 1;
        }
        if (i >= t.size()) {
            return;
        }
        Token kind = t.get(i);
        if (i + 1 < t.size() && t.get(i + 1).isWord("CONCURRENTLY")) {
            return;
        }
        String target = Tokens.firstTarget(ctx);
        String table = target == null ? null
                : kind.isWord("INDEX") ? ctx.schema().index(target).map(SchemaState.Index::table).orElse(null) : target;
        if (table != null && ctx.createdInThisMigration(table)) {
            return;
        }
        String what = kind.upper() + (target == null ? "" : " " + target);
        if (kind.isWord("SYSTEM")) {
            ctx.report("REINDEX SYSTEM rebuilds the catalog indexes under exclusive locks and cannot run concurrently",
                    "do not reindex system catalogs from a migration; run it in a maintenance window");
            return;
        }
        String message = "REINDEX " + what + " blocks writes to " + (table == null ? "the table" : table)
                + " (SHARE) and every query that uses a rebuilt index (ACCESS EXCLUSIVE on the index) until it finishes";
        if (ctx.settings().serverMajor() < 12) {
            ctx.report(message + "; PostgreSQL " + ctx.settings().serverMajor() + " has no REINDEX CONCURRENTLY",
                    "CREATE INDEX CONCURRENTLY a copy of the index, then DROP INDEX CONCURRENTLY the old one and rename the copy,"
                            + " each in its own no-transaction migration");
            return;
        }
        ctx.report(message, Tokens.insertAfter(ctx, kind, Tokens.kw(kind, "CONCURRENTLY"))
                + ";  -- alone in its migration; Reverso runs it outside a transaction");
    }
}
