package dev.reverso.cli;

import dev.reverso.ops.ExpandContract;
import dev.reverso.CheckedRun;
import dev.reverso.RunChecks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "start", description = "Expand: start an operation migration (pgroll JSON/YAML); old and new versions"
        + " stay live until complete or rollback. Resumes an interrupted start.")
final class StartCommand implements Callable<Integer> {

    @ParentCommand
    ReversoCommand root;

    @Mixin
    MonitorOptions monitor;

    @Parameters(paramLabel = "FILE_OR_VERSION", description = "an operation migration's version, or its file")
    String migration;

    @Mixin
    PreflightOption preflight;

    @Override
    public Integer call() {
        return RecordedRun.of(root, "start", monitor).run(reverso -> reverso.start(migration, new RunChecks(!preflight.skip, false)),
                (CheckedRun<ExpandContract.Started> run) -> CheckedOutput.print(root, run, s -> s, this::text, ""));
    }

    private void text(ExpandContract.Started s) {
        Terminal t = root.terminal;
        if (s.alreadyStarted()) {
            t.out().println(s.version() + " is already started; the new version is schema " + s.versionSchema());
        } else {
            t.out().println(t.green(s.resumed() ? "resumed and started " : "started ") + s.version() + " in " + s.durationMs()
                    + " ms; both versions are live");
            t.out().println("new version: SET search_path TO " + s.versionSchema()
                    + "   then: reverso complete (or reverso rollback)");
        }
    }
}
