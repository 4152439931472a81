package dev.reverso.cli;

import dev.reverso.ValidationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "validate", description = "Report checksum drift, missing downs, gaps and duplicates; exit 1 when any is found.")
final class ValidateCommand implements Callable<Integer> {

    @ParentCommand
    ReversoCommand root;

    @Override
    public Integer call() {
        ValidationReport report = root.reverso().validate();
        Terminal t = root.terminal;
        if (root.format == Format.json) {
            new Json().print(t.out(), report);
        } else if (report.ok()) {
            t.out().println(t.green("ok") + ": the folder and the history agree");
        } else {
            for (ValidationReport.Finding f : report.findings()) {
                String where = f.file() != null ? f.file() : "version " + f.version();
                t.out().println(t.red(f.type().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')) + "  " + where + ": " + f.message());
            }
            t.out().println(report.findings().size() + " problem" + (report.findings().size() == 1 ? "" : "s"));
        }
        return report.ok() ? ExitCode.DONE : ExitCode.CHECK_FAILED;
    }
}
