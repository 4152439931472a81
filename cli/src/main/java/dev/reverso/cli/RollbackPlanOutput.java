package dev.reverso.cli;

import dev.reverso.RollbackPlan;

import java.time.Duration;

/** Renders a {@link RollbackPlan}: what {@code down --plan} and {@code rollback --plan} print. */
final class RollbackPlanOutput {

    private RollbackPlanOutput() {
    }

    /** Prints the plan and returns the exit code: 1 when it would lose data and the user has not accepted that. */
    static int print(ReversoCommand root, RollbackPlan plan, boolean acceptLoss) {
        Terminal t = root.terminal;
        int exit = plan.verdict().losesData() && !acceptLoss ? ExitCode.CHECK_FAILED : ExitCode.DONE;
        if (root.format == Format.json) {
            new Json().print(t.out(), plan);
            return exit;
        }
        if (plan.migrations().isEmpty()) {
            t.out().println("nothing to roll back: no migration is applied");
            return ExitCode.DONE;
        }
        for (RollbackPlan.Migration m : plan.migrations()) {
            t.out().println(t.bold(m.version() + "_" + m.name()) + ": applied " + ago(m.ago()) + " ago"
                    + (m.derived() ? "; it has no down migration, Reverso derived one" : ""));
            for (RollbackPlan.Step s : m.steps()) {
                String kind = switch (s.kind()) {
                    case REVERSIBLE -> t.green("reversible  ");
                    case RESTORED -> t.green("restored    ");
                    case IRREVERSIBLE -> t.red("irreversible");
                };
                t.out().println("  " + kind + " " + s.statement() + "\n               " + s.detail());
            }
            for (RollbackPlan.Writes w : m.writes()) {
                t.out().println("  written since: " + w.table() + ": " + (w.rows() < 0
                        ? (w.exists() ? "unknown (the table was recreated or its statistics reset)" : "the table no longer exists")
                        : w.rows() + " rows inserted, updated or deleted"));
            }
            for (String loss : m.losses()) {
                t.out().println("  " + t.red("loss: ") + loss);
            }
            t.out().println("  verdict: " + colour(t, m.verdict()));
        }
        t.out().println("verdict: " + colour(t, plan.verdict()) + (plan.verdict().losesData()
                ? acceptLoss ? " (accepted with --accept-loss)" : "; roll back anyway with --accept-loss" : ""));
        return exit;
    }

    private static String colour(Terminal t, RollbackPlan.Verdict v) {
        return v.losesData() ? t.red(v.text()) : t.green(v.text());
    }

    private static String ago(Duration d) {
        long s = d.toSeconds();
        return s < 120 ? s + " s" : s < 7200 ? s / 60 + " min" : s < 172_800 ? s / 3600 + " h" : s / 86_400 + " days";
    }
}
