package dev.reverso.cli;

import dev.reverso.history.ExpansionRow;
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

    @Override
    public Integer call() {
        ExpansionRow row = root.reverso(monitor).complete();
        Terminal t = root.terminal;
        if (root.format == Format.json) {
            new Json().print(t.out(), Map.of("version", row.version(), "phase", row.phase(), "versionSchema", row.versionSchema()));
        } else {
            t.out().println(t.green("completed ") + row.version() + "; the live version is schema " + row.versionSchema()
                    + (row.previousSchema() == null ? "" : " (" + row.previousSchema() + " dropped)"));
        }
        return ExitCode.DONE;
    }
}
