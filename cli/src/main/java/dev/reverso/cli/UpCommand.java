package dev.reverso.cli;

import dev.reverso.RunResult;
import dev.reverso.source.Version;
import dev.reverso.CheckedRun;
import dev.reverso.RunChecks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "up", description = "Apply pending migrations in version order.")
final class UpCommand implements Callable<Integer> {

    @ParentCommand
    ReversoCommand root;

    @Mixin
    MonitorOptions monitor;

    @Option(names = "--to", paramLabel = "VERSION", converter = VersionConverter.class,
            description = "stop after this version")
    Version to;

    @Option(names = "--snapshot", arity = "0..1", fallbackValue = "tables", paramLabel = "tables|all",
            description = "first pg_dump the existing tables the pending migrations touch (or all: the whole database);"
                    + " if that fails, nothing runs")
    SnapshotOptions.Scope snapshot;

    @Mixin
    SnapshotOptions snapshotOptions;

    @Mixin
    PreflightOption preflight;

    @Mixin
    BaselineOption baseline;

    @Mixin
    VerifyOption verify;

    @Option(names = "--approved-by", paramLabel = "NAME",
            description = "who approved this run; critical-risk migrations require it (recorded in the audit trail)")
    String approvedBy;

    @Override
    public Integer call() {
        return RecordedRun.of(root, "up", monitor).run(reverso -> reverso.up(Optional.ofNullable(to),
                Optional.ofNullable(snapshot).map(snapshotOptions::request), new RunChecks(!preflight.skip, !verify.skip, baseline.statements),
                root.release().release(root.env, approvedBy)),
                (CheckedRun<RunResult> run) -> CheckedOutput.print(root, run, r -> r, r -> RunOutput.print(root, r, "applied",
                "nothing to apply: the database is up to date"), "the migrations stay applied; see reverso verify,"
                + " or roll back with reverso down"));
    }
}
