package dev.reverso.report;

import dev.reverso.DownTarget;
import dev.reverso.MigrationStatus;
import dev.reverso.PreflightReport;
import dev.reverso.Reverso;
import dev.reverso.ReversoException;
import dev.reverso.RollbackPlan;
import dev.reverso.StatusReport;
import dev.reverso.VerifyReport;
import dev.reverso.archive.ArchiveEntry;
import dev.reverso.archive.Snapshot;
import dev.reverso.history.AuditEntry;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Completes a run's report after the run from what the database now says: the archives the run
 * made, the down plan's verdict for what it applied, and for a failed run the audit rows since
 * it started, the state it left and the repairs that apply. Reads only; a read that fails leaves
 * its part of the report saying so rather than failing the report.
 */
public final class ReportCollector {

    /** How long the runbooks keep a migration's way back open after it ran. */
    public static final Duration ROLLBACK_WINDOW = Duration.ofHours(48);

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final Reverso reverso;

    public ReportCollector(Reverso reverso) {
        this.reverso = reverso;
    }

    /**
     * What a rollback about to run can fall back on, for its webhook message.
     *
     * @param versions the migrations it rolls back, newest first
     * @param snapshots the snapshots taken before them (or the newest one), whose files are intact
     * @param archives the archived data it will put back
     * @param etaSeconds how long they took to apply, as an estimate, or null when unknown
     */
    public record Outlook(List<String> versions, List<String> snapshots, List<String> archives, Long etaSeconds) {
    }

    /**
     * What rolling back {@code target} can fall back on; with no target, the started operation
     * migration's rollback. Nothing known (an unreachable database, nothing to roll back): empty lists.
     */
    public Outlook outlook(java.util.Optional<DownTarget> target) {
        try {
            List<String> versions = target.isPresent()
                    ? reverso.rollbackPlan(target.get()).migrations().stream().map(RollbackPlan.Migration::version).toList()
                    : reverso.expansion().map(x -> List.of(x.version())).orElse(List.of());
            List<MigrationStatus> applied = reverso.status().migrations().stream().filter(m -> versions.contains(m.version())).toList();
            Long eta = applied.size() == versions.size() && !versions.isEmpty() && applied.stream().allMatch(m -> m.durationMs() != null)
                    ? (applied.stream().mapToLong(MigrationStatus::durationMs).sum() + 999) / 1000 : null;
            List<dev.reverso.archive.SnapshotStatus> intact = reverso.snapshots().stream()
                    .filter(s -> s.file() == dev.reverso.archive.SnapshotStatus.FileState.OK).toList();
            List<String> snapshots = intact.stream().filter(s -> versions.contains(s.version())).map(ReportCollector::describe).toList();
            if (snapshots.isEmpty() && !intact.isEmpty()) {
                snapshots = List.of(describe(intact.get(intact.size() - 1)));
            }
            return new Outlook(versions, snapshots, archives(versions), eta);
        } catch (ReversoException e) {
            return new Outlook(List.of(), List.of(), List.of(), null);
        }
    }

    private static String describe(dev.reverso.archive.SnapshotStatus s) {
        return s.id() + " (" + s.scope() + ", before " + s.version() + ", " + s.path() + ")";
    }

    /** The run's name, the report files' stem: {@code <timestamp>_<command>[_<versions>]}. */
    public static String runName(Instant startedAt, String command, List<String> versions) {
        String v = versions.isEmpty() ? "" : "_" + (versions.size() == 1 ? versions.get(0)
                : versions.get(0) + "-" + versions.get(versions.size() - 1));
        return runId(startedAt, command) + v.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** The run's id, known from its start: {@code <timestamp>_<command>}, the start of its report files' names. */
    public static String runId(Instant startedAt, String command) {
        return STAMP.format(startedAt) + "_" + command;
    }

    /**
     * The report of a run that ended.
     *
     * @param error the error it stopped with, or null
     * @param verify verify's report when it ran, or null
     */
    public RunReport collect(RunRecorder recorder, String command, RunReport.Outcome outcome, String error, VerifyReport verify) {
        boolean failed = outcome == RunReport.Outcome.FAILED;
        List<RunReport.MigrationRun> ran = recorder.migrations(failed);
        Instant end = Instant.now();
        List<String> versions = ran.stream().map(RunReport.MigrationRun::version).distinct().toList();
        return new RunReport(runName(recorder.startedAt(), command, versions), command, database(), recorder.startedAt().toString(),
                end.toString(), Duration.between(recorder.startedAt(), end).toMillis(), outcome, error, ran, recorder.monitoring(),
                recorder.warnings(), preflight(recorder.preflight()), verify(verify),
                rollbackPath(command, ran, recorder.snapshots(), end), failed ? postmortem(recorder, command, ran, error) : null);
    }

    private String database() {
        return reverso.config().url().display();
    }

    private static List<String> preflight(PreflightReport report) {
        return report == null ? List.of() : report.items().stream()
                .map(i -> i.status() + " " + i.check() + ": " + i.detail()).toList();
    }

    private static List<String> verify(VerifyReport report) {
        if (report == null) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        lines.add("checks: " + String.join(", ", report.checks()));
        List<VerifyReport.Problem> failures = report.failures();
        report.problems().forEach(p -> lines.add((failures.contains(p) ? "FAIL " : "warn ") + p.kind().name()
                .toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + p.detail()));
        report.skipped().forEach(s -> lines.add("skipped " + s));
        return lines;
    }

    private RunReport.RollbackPath rollbackPath(String command, List<RunReport.MigrationRun> ran, List<Snapshot> snapshots,
                                                Instant end) {
        List<String> done = ran.stream().filter(m -> m.outcome().equals("done")).map(RunReport.MigrationRun::version).toList();
        List<String> taken = snapshots.stream().map(s -> "snapshot " + s.id() + " (" + s.scope() + ", " + s.bytes() + " bytes): "
                + s.path() + "; restore with reverso restore " + s.id() + " --into URL").toList();
        String open = "archives and snapshots are kept until purged (reverso archive purge); the runbooks keep the way back"
                + " open " + ROLLBACK_WINDOW.toHours() + " h: until " + end.plus(ROLLBACK_WINDOW);
        return switch (command) {
            case "up" -> new RunReport.RollbackPath(done.isEmpty() ? "nothing applied, nothing to take back"
                    : "reverso down --count " + done.size(), archives(done), taken, verdict(done), open);
            case "start" -> new RunReport.RollbackPath("reverso rollback (until reverso complete)", List.of(), taken,
                    done.isEmpty() ? "nothing started" : expansionVerdict(), "until reverso complete drops the old version");
            case "complete" -> new RunReport.RollbackPath("none: the old version is gone; a new migration undoes the change",
                    List.of(), taken, "closed", "closed");
            default -> new RunReport.RollbackPath("reverso up applies the rolled back migrations again", List.of(), taken,
                    "not applicable", "not applicable");
        };
    }

    private List<String> archives(Collection<String> versions) {
        if (versions.isEmpty()) {
            return List.of();
        }
        try {
            return reverso.archive().stream().filter(e -> versions.contains(e.version()) && e.restoredAt() == null)
                    .map(ReportCollector::describe).toList();
        } catch (ReversoException e) {
            return List.of("could not read the archive: " + e.getMessage());
        }
    }

    static String describe(ArchiveEntry e) {
        return e.version() + " step " + e.step() + ": " + e.kind().dbValue() + " of " + e.source()
                + (e.archiveTable() == null ? "" : " in " + e.archiveTable() + " (" + e.rows() + " rows)");
    }

    private String verdict(List<String> done) {
        if (done.isEmpty()) {
            return "nothing applied";
        }
        try {
            RollbackPlan plan = reverso.rollbackPlan(new DownTarget.Count(done.size()));
            long losses = plan.migrations().stream().mapToLong(m -> m.losses().size()).sum();
            return plan.verdict().text() + (losses == 0 ? "" : " (" + losses + " loss" + (losses == 1 ? "" : "es")
                    + ", see reverso down --plan)");
        } catch (ReversoException e) {
            return "no down plan: " + e.getMessage();
        }
    }

    private String expansionVerdict() {
        try {
            return reverso.expansionRollbackPlan().verdict().text();
        } catch (ReversoException e) {
            return "no rollback plan: " + e.getMessage();
        }
    }

    private RunReport.Postmortem postmortem(RunRecorder recorder, String command, List<RunReport.MigrationRun> ran, String error) {
        String failing = ran.stream().flatMap(m -> m.steps().stream().filter(RunReport.StepRun::failed)
                .map(s -> m.version() + (m.name().isEmpty() ? "" : "_" + m.name()) + " (" + m.direction() + ") step " + s.step() + " of " + s.of() + ": "
                        + s.statement() + " [" + s.lock() + "]")).findFirst()
                .orElse(ran.isEmpty() ? "before the first migration" : "after " + ran.get(ran.size() - 1).version());
        List<String> timeline;
        List<String> state = new ArrayList<>();
        List<String> repairs = new ArrayList<>();
        try {
            timeline = timeline(reverso.history(200), command, recorder.startedAt());
            StatusReport status = reverso.status();
            state(status, state, repairs, ran.stream().anyMatch(m -> m.outcome().equals("done")
                    && m.direction().equals("up")));
        } catch (ReversoException e) {
            timeline = List.of("could not read the audit trail: " + e.getMessage());
            repairs.add("reverso status, once the database answers, tells the state left");
        }
        return new RunReport.Postmortem(timeline, failing, error, state, repairs);
    }

    /**
     * The run's audit rows, oldest first: from the newest {@code <command> started} row (with the
     * preflight row just before it), or, when the run failed before writing one, those written
     * since it started by this machine's clock.
     */
    static List<String> timeline(List<AuditEntry> newestFirst, String command, Instant startedAt) {
        int from = -1;
        for (int i = 0; i < newestFirst.size(); i++) {
            AuditEntry e = newestFirst.get(i);
            if (e.at().isBefore(startedAt.minusSeconds(60))) {
                break;
            }
            if (command.equals(e.action()) && "started".equals(e.outcome())) {
                from = i;
                if (i + 1 < newestFirst.size() && "preflight".equals(newestFirst.get(i + 1).action())) {
                    from = i + 1;
                }
                break;
            }
        }
        List<AuditEntry> rows = new ArrayList<>();
        for (int i = 0; i < newestFirst.size(); i++) {
            AuditEntry e = newestFirst.get(i);
            if (from >= 0 ? i <= from : !e.at().isBefore(startedAt.minusSeconds(1))) {
                rows.add(0, e);
            }
        }
        return rows.stream().map(e -> e.at() + " " + e.action() + (e.version() == null ? "" : " " + e.version()) + " "
                + e.outcome() + (e.detail() == null ? "" : ": " + e.detail()) + " (" + e.actor() + ")").toList();
    }

    private static void state(StatusReport status, List<String> state, List<String> repairs, boolean appliedSome) {
        for (MigrationStatus m : status.migrations()) {
            if (m.state().dirty()) {
                state.add(m.version() + "_" + m.name() + ": " + m.describe() + (m.error() == null ? "" : "; error: " + m.error()));
            }
        }
        if (status.expansion() != null) {
            StatusReport.Expansion x = status.expansion();
            state.add("operation migration " + x.version() + ": phase " + x.phase() + ", " + x.step() + " of " + x.steps()
                    + " steps done");
            repairs.add("reverso start " + x.version() + ": resumes the start from its last step");
            repairs.add("reverso rollback: undoes what the start added; the old version is untouched");
        }
        if (state.stream().anyMatch(s -> !s.startsWith("operation migration"))) {
            repairs.add("reverso repair: shows the dirty migration, its steps and what the catalog says of them");
            repairs.add("reverso repair --resume: runs the remaining steps, after checking the done ones");
            repairs.add("reverso repair --mark-applied: records it as applied (all its effects must be in the database)");
            repairs.add("reverso repair --mark-rolled-back: records it as not applied (none of its effects may be left)");
        }
        if (state.isEmpty()) {
            state.add("clean: the failed migration rolled back and stays pending; nothing is dirty");
            repairs.add("fix the migration and run reverso up again");
        }
        if (appliedSome) {
            repairs.add("reverso down --count N: rolls back the migrations this run applied before it failed"
                    + " (see reverso down --plan first)");
        }
    }
}
