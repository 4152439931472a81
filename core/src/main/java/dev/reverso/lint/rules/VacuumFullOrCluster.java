package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.sql.LockMode;

/** #17: VACUUM FULL and CLUSTER rewrite the table under ACCESS EXCLUSIVE. */
final class VacuumFullOrCluster implements Rule {

    @Override
    public String id() {
        return "vacuum-full-or-cluster";
    }

    @Override
    public boolean handles(String command) {
        return command.equals("VACUUM") || command.equals("CLUSTER");
    }

    @Override
    public Severity severity() {
        return Severity.ERROR;
    }

    @Override
    public void check(StatementContext ctx) {
        String command = ctx.classification().command();
        boolean vacuumFull = command.equals("VACUUM") && ctx.classification().lock() == LockMode.ACCESS_EXCLUSIVE;
        if (!vacuumFull && !command.equals("CLUSTER") || Tokens.allTargetsNew(ctx)) {
            return;
        }
        String target = ctx.classification().targets().isEmpty()
                ? (vacuumFull ? "every table in the database" : "every table clustered before")
                : String.join(", ", ctx.classification().targets());
        String what = vacuumFull ? "VACUUM FULL" : "CLUSTER";
        String repack = ctx.settings().serverMajor() >= 19
                ? "REPACK (CONCURRENTLY) " + (ctx.classification().targets().isEmpty() ? "<table>" : ctx.classification().targets().get(0)) + ";"
                : "pg_repack --table " + (ctx.classification().targets().isEmpty() ? "<table>" : ctx.classification().targets().get(0))
                + "  (or pg_squeeze), outside the migration";
        ctx.report(what + " rewrites " + target + " under ACCESS EXCLUSIVE: reads and writes wait for the whole rewrite",
                repack + (vacuumFull ? "; or a plain VACUUM " + (ctx.classification().targets().isEmpty() ? ""
                        : ctx.classification().targets().get(0)) + " if the goal is reclaiming dead rows for reuse" : ""));
    }
}
