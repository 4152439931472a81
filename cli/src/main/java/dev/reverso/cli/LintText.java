package dev.reverso.cli;

import dev.reverso.lint.Finding;
import dev.reverso.lint.LintReport;
import dev.reverso.lint.Severity;

import java.io.PrintStream;

/** Lint findings for people: location, severity and rule, then the lock, why, and the fix. */
final class LintText {

    private LintText() {
    }

    static void print(Terminal t, LintReport report) {
        PrintStream out = t.out();
        for (Finding f : report.findings()) {
            String level = switch (f.severity()) {
                case ERROR -> t.red("error");
                case WARNING -> t.yellow("warning");
                case INFO -> "info";
            };
            out.println(t.bold(f.file() + ":" + f.line() + ":" + f.column()) + "  " + level + "  " + f.ruleId());
            if (!f.statement().isEmpty()) {
                out.println("  statement: " + f.statement());
            }
            if (f.lock() != dev.reverso.sql.LockMode.NONE) {
                out.println("  lock:      " + f.lock().sqlName() + " (blocks " + f.blocks() + ")");
            }
            if (f.estimate() != null) {
                out.println("  table:     " + f.estimate());
            }
            out.println("  why:       " + f.message());
            out.println("  fix:       " + f.rewrite().replace("\n", "\n             "));
            out.println();
        }
        long errors = count(report, Severity.ERROR);
        long warnings = count(report, Severity.WARNING);
        long infos = count(report, Severity.INFO);
        out.println(report.findings().size() + " finding" + (report.findings().size() == 1 ? "" : "s") + " (" + errors
                + " error" + (errors == 1 ? "" : "s") + ", " + warnings + " warning" + (warnings == 1 ? "" : "s") + ", "
                + infos + " info) in " + report.files() + " file" + (report.files() == 1 ? "" : "s") + ", "
                + report.statements() + " statements");
    }

    private static long count(LintReport report, Severity s) {
        return report.findings().stream().filter(f -> f.severity() == s).count();
    }
}
