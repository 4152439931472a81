package dev.reverso.cli;

import dev.reverso.TraceReport;

/** Renders {@code plan --trace}: per statement, what was predicted and what really happened. */
final class TraceOutput {

    private TraceOutput() {
    }

    /** Prints the report; exit 1 when the trace disagreed with the static view. */
    static int print(ReversoCommand root, TraceReport report) {
        Terminal t = root.terminal;
        if (root.format == Format.json) {
            new Json().print(t.out(), report);
            return report.disagrees() ? ExitCode.CHECK_FAILED : ExitCode.DONE;
        }
        if (report.migrations().isEmpty()) {
            t.out().println("nothing to trace: no pending migration");
        }
        for (TraceReport.TracedMigration m : report.migrations()) {
            t.out().println(t.bold(m.version() + "_" + m.name()) + (m.note() == null ? "" : "  " + m.note()));
            for (TraceReport.TracedStatement s : m.statements()) {
                t.out().println("  line " + s.line() + ": " + s.sql());
                t.out().println("    predicted: " + (s.staticLocks().isEmpty() ? "no table lock" : String.join(", ", s.staticLocks()))
                        + (s.findings().isEmpty() ? "" : "; lint: " + String.join(", ", s.findings())));
                if (s.error() != null) {
                    t.out().println("    " + t.red("failed on the copy: " + s.error()));
                    continue;
                }
                t.out().println("    traced:    " + (s.tracedLocks().isEmpty() ? "no lock on an existing table" : String.join(", ", s.tracedLocks()))
                        + (s.rewrote().isEmpty() ? "" : "; rewrote " + String.join(", ", s.rewrote())));
                for (String d : s.disagreements()) {
                    t.out().println("    " + t.yellow("trace wins: ") + d);
                }
            }
            t.out().println();
        }
        t.out().println("traced on a scratch copy of the schema (" + report.scratchDatabase() + ", now dropped)");
        return report.disagrees() ? ExitCode.CHECK_FAILED : ExitCode.DONE;
    }
}
