package dev.reverso.cli;

import dev.reverso.Event;
import dev.reverso.PreflightReport;
import dev.reverso.history.LockHolder;

import java.io.PrintStream;
import java.util.List;

/**
 * Shows a run as it goes, on stderr: on a terminal, one line rewritten in place with migrations
 * done, rate and time left; in a pipe, one plain line per migration. Retries and warnings are
 * always printed on their own line.
 */
final class Progress implements Event.Listener {

    private final Terminal terminal;
    private final boolean quiet;
    private int total;
    private int done;
    private long startNanos;
    private boolean lineOpen;
    private long lastBackfillLine;

    /**
     * @param quiet print only retries and warnings (for --format json, where stdout carries the result)
     */
    Progress(Terminal terminal, boolean quiet) {
        this.terminal = terminal;
        this.quiet = quiet;
    }

    @Override
    public void on(Event event) {
        PrintStream err = terminal.err();
        if (event instanceof Event.RunStarting e) {
            total = e.migrations();
            done = 0;
            startNanos = System.nanoTime();
        } else if (event instanceof Event.MigrationStarting e) {
            if (!quiet && !terminal.interactive()) {
                err.println((e.direction() == Event.Direction.UP ? "applying " : "rolling back ") + e.version() + "_" + e.name()
                        + " (" + (e.transactional() ? "in a transaction" : "step by step, outside a transaction") + ", "
                        + e.statements() + " statement" + (e.statements() == 1 ? "" : "s") + ")");
            }
        } else if (event instanceof Event.StatementStarting e) {
            if (!quiet && !terminal.interactive() && e.of() > 1) {
                err.println("  step " + e.step() + "/" + e.of() + ": " + e.summary());
            }
        } else if (event instanceof Event.MigrationFinished e) {
            done++;
            if (quiet) {
                return;
            }
            if (terminal.interactive()) {
                err.print("\r\u001b[2K" + bar(e));
                lineOpen = true;
                if (done == total) {
                    err.println();
                    lineOpen = false;
                }
            } else {
                err.println("  done in " + e.durationMs() + " ms [" + done + "/" + total + "]");
            }
        } else if (event instanceof Event.PhaseStep e) {
            closeLine();
            if (!quiet) {
                err.println(e.phase() + " " + e.version() + " step " + e.step() + "/" + e.of() + ": " + e.what());
            }
        } else if (event instanceof Event.BackfillProgress e) {
            backfill(e);
        } else if (event instanceof Event.LockRetry e) {
            closeLine();
            String who = e.blockers().isEmpty() ? "an unidentified session"
                    : e.blockers().stream().map(LockHolder::describe).reduce((a, b) -> a + ", " + b).orElse("");
            err.println(terminal.yellow("lock timeout") + " (" + e.lockTimeout().toMillis() + " ms) on " + e.version()
                    + ": " + e.summary() + "; blocked by " + who + "; try " + (e.attempt() + 1) + " in "
                    + e.sleep().toMillis() + " ms");
        } else if (event instanceof Event.PreflightDone e) {
            closeLine();
            preflight(e.report());
        } else if (event instanceof Event.Warning e) {
            closeLine();
            err.println(terminal.yellow("warning: ") + e.message());
        }
    }

    /** Before the run: each warning and failure on its own line, then one line saying how it came out. */
    private void preflight(PreflightReport report) {
        PrintStream err = terminal.err();
        List<PreflightReport.Item> shown = report.items().stream().filter(i -> i.status() != PreflightReport.Status.PASS).toList();
        for (PreflightReport.Item i : shown) {
            err.println("preflight " + (i.status() == PreflightReport.Status.FAIL ? terminal.red("FAIL") : terminal.yellow("warn"))
                    + " " + i.check() + ": " + i.detail());
        }
        if (!report.failed() && !quiet) {
            err.println("preflight passed: " + report.items().size() + " checks" + (shown.isEmpty() ? "" : ", " + shown.size()
                    + " warning" + (shown.size() == 1 ? "" : "s")));
        }
    }

    /** On a terminal one line kept up to date; in a pipe a line every few seconds. */
    private void backfill(Event.BackfillProgress e) {
        if (quiet) {
            return;
        }
        long now = System.nanoTime();
        if (!terminal.interactive() && !e.done() && now - lastBackfillLine < 5_000_000_000L) {
            return;
        }
        lastBackfillLine = now;
        String of = e.estimate() > 0 ? String.format(" of ~%,d (%d %%)", e.estimate(), Math.min(100, 100 * e.rows() / e.estimate())) : "";
        String left = e.estimate() > e.rows() && e.rowsPerSecond() > 0
                ? String.format(", %d s left", Math.round((e.estimate() - e.rows()) / e.rowsPerSecond())) : "";
        String line = String.format("  backfill %s: %,d rows%s, %,.0f rows/s%s", e.table(), e.rows(), of, e.rowsPerSecond(), left);
        if (terminal.interactive()) {
            terminal.err().print("\r\u001b[2K" + line);
            lineOpen = !e.done();
            if (e.done()) {
                terminal.err().println();
            }
        } else {
            terminal.err().println(line);
        }
    }

    private String bar(Event.MigrationFinished e) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        long left = rate > 0 ? Math.round((total - done) / rate) : 0;
        return String.format("[%d/%d] %s_%s  %.0f migrations/s, %d s left", done, total, e.version(), e.name(), rate, left);
    }

    private void closeLine() {
        if (lineOpen) {
            terminal.err().println();
            lineOpen = false;
        }
    }
}
