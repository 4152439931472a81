package dev.reverso.cli;

import dev.reverso.MigrationStatus;
import dev.reverso.StatusReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "status", description = "List every migration, folder and database side by side.")
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    ReversoCommand root;

    @Option(names = "--all-envs", description = "every migration across every environment of reverso.yaml, in one table")
    boolean allEnvs;

    @Override
    public Integer call() {
        if (allEnvs) {
            return EnvironmentTable.print(root);
        }
        StatusReport report = root.reverso().status();
        Terminal t = root.terminal;
        if (root.format == Format.json) {
            new Json().print(t.out(), report);
            return ExitCode.DONE;
        }
        Table table = new Table("VERSION", "NAME", "STATE", "APPLIED AT", "DURATION", "DOWN");
        for (MigrationStatus m : report.migrations()) {
            String state = m.describe();
            state = m.state().dirty() ? t.red(state) : m.state() == MigrationStatus.State.APPLIED ? t.green(state) : state;
            table.row(m.version(), m.name(), state, m.appliedAt(), m.durationMs() == null ? null : m.durationMs() + " ms",
                    m.hasDown() ? "yes" : "no");
        }
        if (table.isEmpty()) {
            t.out().println("no migrations in " + root.dir + " and none applied");
        } else {
            table.print(t.out());
        }
        t.out().println();
        t.out().println(report.pending() + " pending" + (report.dirty() ? "; " + t.red("the database is dirty: run reverso repair") : "")
                + (report.activeRunner() != null ? "; a runner is active: " + report.activeRunner().describe() : ""));
        if (report.expansion() != null) {
            StatusReport.Expansion e = report.expansion();
            t.out().println("operation migration " + e.version() + ": " + e.phase() + (e.phase().equals("started")
                    ? " (new version: " + e.versionSchema() + "; next: reverso complete or reverso rollback)"
                    : ", step " + Math.min(e.step() + 1, e.steps()) + " of " + e.steps() + (e.current() == null ? "" : ": " + e.current())));
            if (e.backfillRows() > 0) {
                t.out().println("  backfill: " + e.backfillRows() + " rows" + (e.backfillEstimate() > 0
                        ? " of about " + e.backfillEstimate() + " (" + Math.min(100, 100 * e.backfillRows() / e.backfillEstimate()) + " %)" : ""));
            }
        }
        t.out().println("live versions: " + String.join(", ", report.liveVersions()));
        report.migrations().stream().filter(m -> m.error() != null)
                .forEach(m -> t.out().println(m.version() + ": " + m.error()));
        return ExitCode.DONE;
    }
}
