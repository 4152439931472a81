package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.lint.TableDdl;
import dev.reverso.sql.Token;

import java.util.List;

/**
 * #18: ALTER TABLE SET LOGGED / UNLOGGED / TABLESPACE / ACCESS METHOD rewrite or copy the table
 * under ACCESS EXCLUSIVE; so do ALTER INDEX / MATERIALIZED VIEW SET TABLESPACE and ALTER TABLE
 * ALL IN TABLESPACE ... SET TABLESPACE.
 */
final class RewriteViaTableOption implements Rule {

    @Override
    public String id() {
        return "rewrite-via-table-option";
    }

    @Override
    public boolean handles(String command) {
        return command.equals("ALTER TABLE") || command.equals("ALTER INDEX") || command.equals("ALTER MATERIALIZED VIEW");
    }

    @Override
    public Severity severity() {
        return Severity.ERROR;
    }

    @Override
    public void check(StatementContext ctx) {
        String command = ctx.classification().command();
        if (!command.equals("ALTER TABLE") && !command.equals("ALTER INDEX") && !command.equals("ALTER MATERIALIZED VIEW")) {
            return;
        }
        if (Tokens.allTargetsNew(ctx)) {
            return;
        }
        List<Token> t = ctx.tokens();
        for (List<Token> action : TableDdl.splitTopLevel(t)) {
            int set = TableDdl.indexOfWord(action, 0, "SET");
            while (set >= 0) {
                String option = TableDdl.at(action, set + 1, "LOGGED") ? "SET LOGGED"
                        : TableDdl.at(action, set + 1, "UNLOGGED") ? "SET UNLOGGED"
                        : TableDdl.at(action, set + 1, "TABLESPACE") ? "SET TABLESPACE"
                        : TableDdl.at(action, set + 1, "ACCESS", "METHOD") ? "SET ACCESS METHOD" : null;
                if (option != null) {
                    report(ctx, option);
                    return;
                }
                set = TableDdl.indexOfWord(action, set + 1, "SET");
            }
        }
    }

    private static void report(StatementContext ctx, String option) {
        String target = ctx.classification().targets().isEmpty() ? "every relation in the tablespace"
                : String.join(", ", ctx.classification().targets());
        String how = switch (option) {
            case "SET TABLESPACE" -> "copies every block of ";
            case "SET LOGGED" -> "rewrites and WAL-logs every row of ";
            default -> "rewrites every row of ";
        };
        ctx.report(option + " " + how + target + " under ACCESS EXCLUSIVE: reads and writes wait until it finishes",
                "do it in a maintenance window, or build a new table with the option, copy the rows in batches and swap the"
                        + " names in one short transaction");
    }
}
