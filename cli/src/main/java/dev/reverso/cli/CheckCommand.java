package dev.reverso.cli;

import dev.reverso.ReversoException;
import dev.reverso.RoundtripReport;
import dev.reverso.catalog.SchemaSnapshot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "check", description = {"Checks that need no change to the target. --roundtrip: on a scratch database on the",
    "target's server, apply each migration, roll it back and apply it again, comparing the schema each time."})
final class CheckCommand implements Callable<Integer> {

    @ParentCommand
    ReversoCommand root;

    @Option(names = "--roundtrip", description = "test every migration's down (the schema after down must equal the one before up)")
    boolean roundtrip;

    @Override
    public Integer call() {
        if (!roundtrip) {
            throw new ReversoException(ReversoException.Kind.BAD_INPUT, "check needs --roundtrip (the one check there is so far)");
        }
        RoundtripReport report = root.reverso().roundtrip();
        Terminal t = root.terminal;
        if (root.format == Format.json) {
            new Json().print(t.out(), report);
            return report.passed() ? ExitCode.DONE : ExitCode.CHECK_FAILED;
        }
        for (RoundtripReport.Checked m : report.migrations()) {
            String label = m.version() + "_" + m.name();
            switch (m.outcome()) {
                case OK -> t.out().println(t.green("ok") + "    " + label + ": up, down, up; the schema came back each time");
                case NO_DOWN -> t.out().println(t.yellow("no down") + " " + label + ": nothing to test; it cannot be rolled back");
                case NOT_REVERSIBLE -> t.out().println("skip  " + label + ": operation migration (start, complete); roll back with"
                        + " reverso rollback while started");
                case FAILED -> t.out().println(t.red("FAIL") + "  " + label + ": " + m.error());
                default -> {
                    t.out().println(t.red("FAIL") + "  " + label + ": " + (m.outcome() == RoundtripReport.Outcome.DOWN_DIFFERS
                            ? "down does not restore the schema before up" : "up after down gives another schema than the first up"));
                    for (SchemaSnapshot.Difference d : m.differences()) {
                        t.out().println("      " + d.describe(m.outcome() == RoundtripReport.Outcome.DOWN_DIFFERS ? "before up" : "first up",
                                m.outcome() == RoundtripReport.Outcome.DOWN_DIFFERS ? "after down" : "up again"));
                    }
                }
            }
        }
        t.out().println();
        t.out().println((report.passed() ? t.green("roundtrip passed") : t.red("roundtrip failed")) + " on scratch database "
                + report.scratch() + " (dropped)");
        return report.passed() ? ExitCode.DONE : ExitCode.CHECK_FAILED;
    }
}
