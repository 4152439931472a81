package dev.reverso.cli;

import dev.reverso.DownTarget;
import dev.reverso.RunResult;
import dev.reverso.source.Version;
import picocli.CommandLine.ArgGroup;
import dev.reverso.CheckedRun;
import dev.reverso.RunChecks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "down", description = "Roll back applied migrations, newest first, with the down SQL stored when they were applied.")
final class DownCommand implements Callable<Integer> {

    @ParentCommand
    ReversoCommand root;

    @Mixin
    MonitorOptions monitor;

    @ArgGroup(exclusive = true)
    How how;

    static final class How {
        @Option(names = "--count", paramLabel = "N", description = "roll back the newest N migrations (default 1)")
        Integer count;

        @Option(names = "--to", paramLabel = "VERSION", converter = VersionConverter.class,
                description = "roll back every migration newer than VERSION (0 for all)")
        Version to;

        @Option(names = "--all", description = "roll back every applied migration")
        boolean all;
    }

    @Option(names = "--plan", description = "print what the rollback would put back and what it would lose, with a verdict;"
            + " run nothing (exit 1 when data would be lost, unless --accept-loss)")
    boolean plan;

    @Option(names = "--accept-loss", description = "roll back even when data written since would be lost, or a migration's"
            + " destroyed data is not in the archive")
    boolean acceptLoss;

    @Mixin
    PreflightOption preflight;

    @Override
    public Integer call() {
        DownTarget target;
        if (how == null || how.count != null) {
            int n = how == null ? 1 : how.count;
            if (n < 1) {
                throw new dev.reverso.ReversoException(dev.reverso.ReversoException.Kind.BAD_INPUT, "--count must be at least 1");
            }
            target = new DownTarget.Count(n);
        } else if (how.to != null) {
            target = new DownTarget.To(how.to);
        } else {
            target = new DownTarget.All();
        }
        if (plan) {
            return RollbackPlanOutput.print(root, root.reverso().rollbackPlan(target), acceptLoss);
        }
        return RecordedRun.of(root, "down", monitor).announcingRollback(java.util.Optional.of(target))
                .run(reverso -> reverso.down(target, acceptLoss, new RunChecks(!preflight.skip, false)),
                (CheckedRun<RunResult> run) -> CheckedOutput.print(root, run, r -> r, r -> RunOutput.print(root, r, "rolled back",
                "nothing to roll back: no migration is applied"), ""));
    }
}
