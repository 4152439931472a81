package dev.reverso.cli;

import dev.reverso.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "verify", description = {"Check the database after migrations: invalid indexes, NOT VALID constraints and",
    "whether the data would pass them, sequences behind their column, the applied migrations' *.verify.sql, and the",
    "schema against the applied migrations replayed on a scratch database (objects missing, unexpected or changed).",
    "Reads the target only. Exit 1 on a problem.",
    "With --perf: compare with the performance baseline taken before a run instead (exit 1 when something is flagged)."})
final class VerifyCommand implements Callable<Integer> {

    @ParentCommand
    ReversoCommand root;

    @picocli.CommandLine.Mixin
    PerfOptions perf;

    @Override
    public Integer call() {
        if (perf.perf) {
            dev.reverso.perf.PerfReport report = root.reverso().verifyPerf(java.util.Optional.ofNullable(perf.since), perf.settings());
            if (root.format == Format.json) {
                new Json().print(root.terminal.out(), report);
            } else {
                PerfText.print(root.terminal, report);
            }
            return report.flagged() ? ExitCode.CHECK_FAILED : ExitCode.DONE;
        }
        VerifyReport report = root.reverso().verify();
        Terminal t = root.terminal;
        if (root.format == Format.json) {
            new Json().print(t.out(), report);
        } else {
            for (VerifyReport.Problem p : report.problems()) {
                t.out().println(t.red("FAIL") + "  " + p.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": "
                        + p.detail());
            }
            report.skipped().forEach(skipped -> t.out().println(t.yellow("skipped") + "  " + skipped));
            t.out().println((report.passed() ? t.green("verified") : t.red(report.problems().size() + " problem"
                    + (report.problems().size() == 1 ? "" : "s"))) + ": checked " + String.join(", ", report.checks()));
        }
        return report.passed() ? ExitCode.DONE : ExitCode.CHECK_FAILED;
    }
}
