package dev.reverso.cli;

import dev.reverso.RunResult;
import dev.reverso.source.Version;
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

    @Override
    public Integer call() {
        RunResult result = root.reverso(monitor).up(Optional.ofNullable(to),
                Optional.ofNullable(snapshot).map(snapshotOptions::request));
        RunOutput.print(root, result, "applied", "nothing to apply: the database is up to date");
        return ExitCode.DONE;
    }
}
