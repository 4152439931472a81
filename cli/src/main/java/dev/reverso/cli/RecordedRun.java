package dev.reverso.cli;

import dev.reverso.CheckedRun;
import dev.reverso.DownTarget;
import dev.reverso.Reverso;
import dev.reverso.ReversoException;
import dev.reverso.report.ReportCollector;
import dev.reverso.report.ReportFiles;
import dev.reverso.report.RunNotifier;
import dev.reverso.report.RunRecorder;
import dev.reverso.report.RunReport;
import dev.reverso.report.Webhook;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * A command that runs migrations (up, down, start, complete, rollback), with its report and its
 * webhook messages around it: the events are recorded as the run goes; at its end, failed or not,
 * the report (and after a failure the postmortem) is written and its paths printed on stderr. The
 * webhook's failures are warnings, never the exit code.
 */
final class RecordedRun {

    /** How long the end of a run waits for the webhook's queue. */
    static final Duration WEBHOOK_DRAIN = Duration.ofSeconds(3);

    private final ReversoCommand root;
    private final String command;
    private final RunRecorder recorder;
    private final Reverso reverso;
    private final Webhook webhook;
    private final RunNotifier notifier;

    private RecordedRun(ReversoCommand root, String command, MonitorOptions monitor) {
        this.root = root;
        this.command = command;
        Reverso base = root.reverso(monitor);
        this.webhook = root.webhook == null ? null : Webhook.to(webhookUri(root.webhook));
        String database = base.config().url().display();
        java.time.Instant start = java.time.Instant.now();
        this.notifier = webhook == null ? null : new RunNotifier(webhook, ReportCollector.runId(start, command), command, database,
                base.config().listener());
        this.recorder = new RunRecorder(notifier != null ? notifier : base.config().listener());
        this.reverso = Reverso.with(base.config().withListener(recorder));
    }

    static RecordedRun of(ReversoCommand root, String command, MonitorOptions monitor) {
        return new RecordedRun(root, command, monitor);
    }

    private static URI webhookUri(String url) {
        try {
            URI uri = URI.create(url);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below, as any URL that is not http(s)
        }
        throw new ReversoException(ReversoException.Kind.BAD_INPUT, "--webhook " + url + ": not an http:// or https:// URL");
    }

    /** Sends the rollback message first (down, rollback): what the rollback can fall back on, and an ETA. */
    RecordedRun announcingRollback(Optional<DownTarget> target) {
        if (notifier != null) {
            notifier.started();
            notifier.rollback(new ReportCollector(reverso).outlook(target));
        }
        return this;
    }

    /**
     * Runs {@code call} with the recording Reverso and renders its result, then reports.
     *
     * @return the render's exit code; a failure is reported and thrown on
     */
    <T> int run(Function<Reverso, T> call, ToIntFunction<T> render) {
        if (notifier != null && !command.equals("down") && !command.equals("rollback")) {
            notifier.started();
        }
        int code;
        T result;
        try {
            result = call.apply(reverso);
            code = render.applyAsInt(result);
        } catch (ReversoException e) {
            finish(e.kind() == ReversoException.Kind.MIGRATION_FAILED ? RunReport.Outcome.FAILED : RunReport.Outcome.REFUSED,
                    e.getMessage(), null);
            throw e;
        } catch (RuntimeException e) {
            finish(RunReport.Outcome.FAILED, String.valueOf(e), null);
            throw e;
        }
        CheckedRun<?> checked = result instanceof CheckedRun<?> c ? c : null;
        RunReport.Outcome outcome = checked != null && checked.stopped() ? RunReport.Outcome.STOPPED_BY_PREFLIGHT
                : checked != null && checked.verifyFailed() ? RunReport.Outcome.VERIFY_FAILED
                : recorder.migrations(false).isEmpty() ? RunReport.Outcome.NOTHING_TO_DO : RunReport.Outcome.SUCCEEDED;
        finish(outcome, null, checked == null ? null : checked.verify());
        return code;
    }

    private void finish(RunReport.Outcome outcome, String error, dev.reverso.VerifyReport verify) {
        Terminal t = root.terminal;
        if (root.noReport && webhook == null) {
            return;
        }
        String path = null;
        try {
            RunReport report = new ReportCollector(reverso).collect(recorder, command, outcome, error, verify);
            // A run that found nothing to do, or was refused before any migration began, leaves no
            // file: there is nothing to review or take back, and the error line says it all.
            boolean ranSomething = !report.migrations().isEmpty() || outcome == RunReport.Outcome.STOPPED_BY_PREFLIGHT;
            if (!root.noReport && ranSomething) {
                List<Path> files = new ReportFiles(root.reportDir).write(report);
                files.forEach(f -> t.err().println("reverso: " + (f.toString().endsWith("_postmortem.md") ? "postmortem draft "
                        : "report ") + f));
                path = files.get(0).toString();
            }
            if (notifier != null) {
                notifier.ended(report, path);
            }
        } catch (RuntimeException e) {
            // Whatever went wrong here, the run's own outcome and exit code stand.
            t.err().println("reverso: " + t.yellow("warning") + ": no report: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
        }
        if (webhook != null) {
            for (String failure : webhook.finish(WEBHOOK_DRAIN)) {
                t.err().println("reverso: " + t.yellow("warning") + ": " + failure);
                try {
                    reverso.audit("webhook", "failed", failure);
                } catch (ReversoException e) {
                    t.err().println("reverso: " + t.yellow("warning") + ": could not record it in the audit log: " + e.getMessage());
                }
            }
        }
    }
}
