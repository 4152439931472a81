package dev.reverso.cli;

import dev.reverso.Event;
import dev.reverso.PreflightReport;
import dev.reverso.history.LockHolder;

import dev.reverso.monitor.Sample;

import java.io.PrintStream;
import java.util.List;

/**
 * Shows a run as it goes, on stderr: on a terminal, one line rewritten in place with migrations
 * done, rate and time left; in a pipe, one plain line per migration. Retries and warnings are
 * always printed on their own line. The monitor's samples join the live line on a terminal; in a
 * pipe a line is printed only when what it sees changes; with --format json each sample and each
 * action is a JSON line on stderr. Its actions are always printed. Events come from the run's
 * thread and the monitor's, hence the lock.
 */
final class Progress implements Event.Listener {

    private final Terminal terminal;
    private final boolean quiet;
    private int total;
    private int done;
    private long startNanos;
    private boolean lineOpen;
    private long lastBackfillLine;
    private final boolean json;
    private String liveLine = "";
    private String monitorLine = "";
    private String monitorSignature = "";

    /**
     * @param quiet print only retries and warnings (for --format json, where stdout carries the result)
     */
    Progress(Terminal terminal, boolean quiet) {
        this.terminal = terminal;
        this.quiet = quiet;
        this.json = quiet;
    }

    @Override
    public synchronized void on(Event event) {
        PrintStream err = terminal.err();
        if (event instanceof Event.MonitorSample e) {
            sample(e.sample());
            return;
        }
        if (event instanceof Event.ThresholdReached e) {
            closeLine();
            if (json) {
                new Json().line(err, new ThresholdLine("threshold", e.action().outcome(), e.action().stops(), e.action().describe()));
            } else {
                err.println("monitor: " + (e.action().stops() ? terminal.red(e.action().describe()) : terminal.yellow(e.action().describe())));
            }
            return;
        }
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
                live(bar(e));
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
        } else if (event instanceof Event.Archived e && !quiet) {
            closeLine();
            err.println("  archived what step " + e.step() + " of migration " + e.version() + " destroys: " + e.what());
        } else if (event instanceof Event.Restored e && (!quiet || e.note().contains("not restored"))) {
            closeLine();
            err.println("  " + (e.note().contains("not restored") ? terminal.yellow("archive: ") : terminal.green("archive: "))
                    + e.note());
        } else if (event instanceof Event.SnapshotTaken e) {
            closeLine();
            err.println(SnapshotCommand.describe(terminal, e.snapshot()));
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
            live(line);
            lineOpen = !e.done();
            if (e.done()) {
                terminal.err().println();
            }
        } else {
            terminal.err().println(line);
        }
    }

    /**
     * A sample: on a terminal it joins the live line; in a pipe it is printed when what it sees
     * changes (other sessions, lagging replicas, an index build's phase), not every second.
     */
    private void sample(Sample s) {
        if (json) {
            new Json().line(terminal.err(), new SampleLine("sample", s));
            return;
        }
        if (quiet) {
            return;
        }
        String text = MonitorText.of(s);
        if (terminal.interactive()) {
            if (!text.equals(monitorLine)) {
                monitorLine = text;
                if (lineOpen || !text.isEmpty()) {
                    live(lineOpen ? liveLine : "");
                }
            }
            return;
        }
        String signature = s.signature();
        if (!signature.equals(monitorSignature)) {
            monitorSignature = signature;
            terminal.err().println("monitor: " + (text.isEmpty() ? "nothing waiting, no lag" : text));
        }
    }

    /** A JSON line of --format json: a record, so that "event" comes first. */
    private record SampleLine(String event, Sample sample) {
    }

    private record ThresholdLine(String event, String outcome, boolean stops, String detail) {
    }

    /** Rewrites the live line: the run's own progress, then what the monitor sees. */
    private void live(String line) {
        liveLine = line;
        String shown = monitorLine.isEmpty() ? line : line.isEmpty() ? "monitor: " + monitorLine : line + "  | " + monitorLine;
        terminal.err().print("\r\u001b[2K" + shown);
        lineOpen = true;
    }

    private String bar(Event.MigrationFinished e) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        long left = rate > 0 ? Math.round((total - done) / rate) : 0;
        return String.format("[%d/%d] %s_%s  %.0f migrations/s, %d s left", done, total, e.version(), e.name(), rate, left);
    }

    private void closeLine() {
        liveLine = "";
        if (lineOpen) {
            terminal.err().println();
            lineOpen = false;
        }
    }
}
