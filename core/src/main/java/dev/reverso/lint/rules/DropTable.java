package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;

import java.util.List;

/** #36: DROP TABLE of a table this migration did not create earlier (drop-and-recreate included). */
final class DropTable implements Rule {

    @Override
    public String id() {
        return "drop-table";
    }

    @Override
    public boolean handles(String command) {
        return command.equals("DROP TABLE");
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    @Override
    public void check(StatementContext ctx) {
        if (!ctx.classification().command().equals("DROP TABLE")) {
            return;
        }
        List<String> existing = ctx.classification().targets().stream().filter(t -> !ctx.createdInThisMigration(t)).toList();
        if (existing.isEmpty()) {
            return;
        }
        String tables = String.join(", ", existing);
        boolean cascade = Ddl.has(ctx.tokens(), "CASCADE");
        ctx.report("DROP TABLE " + tables + " deletes every row" + (cascade ? ", CASCADE also drops the views and foreign "
                        + "keys that depend on it," : "") + " and breaks any app version still reading or writing "
                        + (existing.size() > 1 ? "them" : "it") + "; it cannot be rolled back once committed",
                "retire it first: stop every reader and writer, deploy, check pg_stat_user_tables shows no new scans, back "
                        + "it up (pg_dump -t " + existing.get(0) + "), then drop it in a later release");
    }
}
