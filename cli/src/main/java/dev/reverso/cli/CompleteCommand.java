package dev.reverso.cli;

import dev.reverso.history.ExpansionRow;
import dev.reverso.CheckedRun;
import dev.reverso.RunChecks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "complete", description = "Contract: finish the started operation migration; the old version goes.")
final class CompleteCommand implements Callable<Integer> {

    @ParentCommand
    ReversoCommand root;

    @Mixin
    MonitorOptions monitor;

    @Mixin
    PreflightOption preflight;

    @Mixin
    BaselineOption baseline;

    @Mixin
    VerifyOption verify;

    @Override
    public Integer call() {
        Terminal t = root.terminal;
        return RecordedRun.of(root, "complete", monitor).run(reverso -> reverso.complete(new RunChecks(!preflight.skip, !verify.skip, baseline.statements)),
                (CheckedRun<ExpansionRow> run) -> CheckedOutput.print(root, run, row -> Map.of("version", row.version(), "phase", row.phase(), "versionSchema",
                row.versionSchema()), row -> t.out().println(t.green("completed ") + row.version() + "; the live version is schema "
                + row.versionSchema() + (row.previousSchema() == null ? "" : " (" + row.previousSchema() + " dropped)")),
                "the migration stays completed; see reverso verify"));
    }
}
