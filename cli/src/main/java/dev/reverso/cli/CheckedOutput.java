package dev.reverso.cli;

import dev.reverso.CheckedRun;
import dev.reverso.VerifyReport;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A run's output with the checks around it (the preflight's warnings and failures are on stderr
 * already, shown by {@link Progress} before the run): the run's own summary, then verify's
 * problems; in JSON the result with both reports. Exit 1 when the preflight stopped the run or
 * verify failed after it.
 */
final class CheckedOutput {

    private CheckedOutput() {
    }

    /**
     * @param json what the result is in JSON
     * @param text prints the result as text
     * @param afterFailure what a failed verify leaves, such as "the migrations stay applied"
     */
    static <T> int print(ReversoCommand root, CheckedRun<T> run, Function<T, Object> json, Consumer<T> text, String afterFailure) {
        Terminal t = root.terminal;
        if (root.format == Format.json) {
            new Json().printChecked(t.out(), run.stopped() ? null : json.apply(run.result()), run.preflight(), run.verify());
        } else {
            if (!run.stopped()) {
                text.accept(run.result());
                verify(t, run.verify(), afterFailure);
            }
        }
        if (run.stopped()) {
            t.err().println("reverso: " + t.red("preflight failed; nothing was changed") + " (see reverso preflight; skip the"
                    + " checks with --no-preflight)");
            return ExitCode.CHECK_FAILED;
        }
        return run.verifyFailed() ? ExitCode.CHECK_FAILED : ExitCode.DONE;
    }

    private static void verify(Terminal t, VerifyReport report, String afterFailure) {
        if (report == null) {
            return;
        }
        List<VerifyReport.Problem> failures = report.failures();
        for (VerifyReport.Problem p : report.problems()) {
            boolean failure = failures.contains(p);
            t.out().println("verify " + (failure ? t.red("FAIL") : t.yellow("warn")) + " " + p.kind().name()
                    .toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + p.detail());
        }
        report.skipped().forEach(s -> t.out().println("verify " + t.yellow("skipped") + " " + s));
        if (failures.isEmpty()) {
            t.out().println(t.green("verified") + ": " + String.join(", ", report.checks()));
        } else {
            t.err().println("reverso: " + t.red("verify found " + failures.size() + " problem" + (failures.size() == 1 ? "" : "s"))
                    + " after the run; " + afterFailure);
        }
    }
}
