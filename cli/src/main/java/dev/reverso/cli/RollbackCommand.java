package dev.reverso.cli;

import dev.reverso.history.ExpansionRow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "rollback", description = "Undo the started operation migration's expansion; the old version is left"
        + " exactly as it was.")
final class RollbackCommand implements Callable<Integer> {

    @ParentCommand
    ReversoCommand root;

    @Option(names = "--plan", description = "print each step the rollback would run and the verdict; run nothing")
    boolean plan;

    @Mixin
    MonitorOptions monitor;

    @Override
    public Integer call() {
        if (plan) {
            return RollbackPlanOutput.print(root, root.reverso().expansionRollbackPlan(), false);
        }
        long t0 = System.nanoTime();
        return RecordedRun.of(root, "rollback", monitor).announcingRollback(java.util.Optional.empty())
                .run(reverso -> reverso.rollback(), row -> print(row, (System.nanoTime() - t0) / 1_000_000));
    }

    private int print(ExpansionRow row, long ms) {
        Terminal t = root.terminal;
        if (root.format == Format.json) {
            new Json().print(t.out(), Map.of("version", row.version(), "phase", row.phase(), "durationMs", ms));
        } else {
            t.out().println(t.green("rolled back ") + row.version() + " in " + ms + " ms; schema " + row.versionSchema()
                    + " and everything the expansion added are gone");
        }
        return ExitCode.DONE;
    }
}
