package dev.reverso.report;

import dev.reverso.Event;

import java.time.Instant;
import java.util.List;

/**
 * The webhook messages of one run: start, each threshold action (from the events it passes on to
 * the listener it wraps), rollback, success and failure. Sending only queues; see {@link Webhook}.
 */
public final class RunNotifier implements Event.Listener {

    private final Webhook webhook;
    private final String run;
    private final String command;
    private final String database;
    private final Event.Listener next;

    /**
     * @param run the run's id, the prefix of its report files' names
     * @param database the database without credentials
     */
    public RunNotifier(Webhook webhook, String run, String command, String database, Event.Listener next) {
        this.webhook = webhook;
        this.run = run;
        this.command = command;
        this.database = database;
        this.next = next;
    }

    @Override
    public void on(Event event) {
        if (event instanceof Event.ThresholdReached e) {
            webhook.send(message("threshold", "reverso " + command + " on " + database + ": " + e.action().describe(), null,
                    e.action().outcome(), null, null, null, null, null));
        }
        next.on(event);
    }

    /** The run begins. */
    public void started() {
        webhook.send(message("start", "reverso " + command + " started on " + database, null, null, null, null, null, null, null));
    }

    /** A down or rollback begins: the runbooks' "rollback initiated, snapshot saved: ID, ETA". */
    public void rollback(ReportCollector.Outlook outlook) {
        String snapshot = outlook.snapshots().isEmpty() ? "no snapshot" : "snapshot saved: " + outlook.snapshots().get(0);
        String eta = outlook.etaSeconds() == null ? "ETA unknown" : "ETA ~" + outlook.etaSeconds() + " s";
        webhook.send(message("rollback", "rollback initiated on " + database + (outlook.versions().isEmpty() ? ""
                : " (" + String.join(", ", outlook.versions()) + ")") + ", " + snapshot + ", " + outlook.archives().size()
                + " archive" + (outlook.archives().size() == 1 ? "" : "s") + " to restore, " + eta, outlook.versions(), null, null,
                outlook.snapshots(), outlook.archives(), outlook.etaSeconds(), null));
    }

    /**
     * The run ended: {@code success} when it succeeded or had nothing to do, {@code failure} (with
     * its error, or the outcome) when it failed, was refused, or its checks failed.
     */
    public void ended(RunReport report, String reportPath) {
        boolean failed = report.outcome() != RunReport.Outcome.SUCCEEDED && report.outcome() != RunReport.Outcome.NOTHING_TO_DO;
        webhook.send(message(failed ? "failure" : "success", "reverso " + command + " " + report.outcome().text() + " on "
                + database + " in " + report.durationMs() + " ms" + (report.error() != null ? ": " + report.error() : ""), report.versions(),
                null, failed ? (report.error() == null ? report.outcome().text() : report.error()) : null, null, null, null,
                reportPath));
    }

    private Notification message(String event, String text, List<String> versions, String action, String error,
                                 List<String> snapshots, List<String> archives, Long eta, String report) {
        return new Notification(event, run, command, database, Instant.now().toString(), text, versions, action, error, snapshots,
                archives, eta, report);
    }
}
