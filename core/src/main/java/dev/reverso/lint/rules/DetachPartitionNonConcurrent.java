package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.lint.TableDdl;
import dev.reverso.sql.Token;

import java.util.List;
import java.util.Optional;

/** #19: DETACH PARTITION without CONCURRENTLY (or FINALIZE) takes ACCESS EXCLUSIVE on the parent. */
final class DetachPartitionNonConcurrent implements Rule {

    @Override
    public String id() {
        return "detach-partition-non-concurrent";
    }

    @Override
    public boolean handles(String command) {
        // It reads only ALTER TABLE (Tokens.alterExistingTable).
        return command.equals("ALTER TABLE");
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    @Override
    public void check(StatementContext ctx) {
        Optional<TableDdl.AlterTable> alter = Tokens.alterExistingTable(ctx);
        if (alter.isEmpty()) {
            return;
        }
        for (TableDdl.Action action : alter.get().actions()) {
            List<Token> t = action.tokens();
            if (!action.startsWith("DETACH", "PARTITION")) {
                continue;
            }
            Optional<TableDdl.Name> partition = TableDdl.name(t, 2);
            int after = partition.map(TableDdl.Name::end).orElse(2);
            if (TableDdl.at(t, after, "CONCURRENTLY") || TableDdl.at(t, after, "FINALIZE")) {
                continue;
            }
            String parent = alter.get().table();
            String part = partition.map(TableDdl.Name::text).orElse("the partition");
            String message = "DETACH PARTITION " + part + " takes ACCESS EXCLUSIVE on " + parent
                    + ": every query on the partitioned table waits for it, and it queues behind any running query";
            if (ctx.settings().serverMajor() < 14) {
                ctx.report(message + "; PostgreSQL " + ctx.settings().serverMajor() + " has no DETACH ... CONCURRENTLY",
                        "upgrade to PostgreSQL 14+ for DETACH PARTITION ... CONCURRENTLY, or detach when traffic is low with a"
                                + " short lock_timeout");
            } else {
                ctx.report(message, "ALTER TABLE " + parent + " DETACH PARTITION " + part + " CONCURRENTLY;"
                        + "  -- alone, no-transaction; not possible when the table has a default partition");
            }
        }
    }
}
