package dev.reverso;

import dev.reverso.Event.Direction;
import dev.reverso.archive.ArchiveEntry;
import dev.reverso.archive.ArchiveIndex;
import dev.reverso.archive.Archiver;
import dev.reverso.archive.TableWrites;
import dev.reverso.archive.PgTools;
import dev.reverso.archive.RestoreReport;
import dev.reverso.archive.Snapshot;
import dev.reverso.archive.SnapshotRequest;
import dev.reverso.archive.SnapshotStatus;
import dev.reverso.archive.Snapshots;
import dev.reverso.catalog.Catalog;
import dev.reverso.catalog.SchemaSnapshot;
import dev.reverso.catalog.TableSize;
import dev.reverso.lint.Finding;
import dev.reverso.monitor.Monitor;
import dev.reverso.monitor.ThresholdAction;
import dev.reverso.lint.LintReport;
import dev.reverso.lint.LintSettings;
import dev.reverso.lint.Linter;
import dev.reverso.lint.LiveJudgement;
import dev.reverso.lint.LiveSchema;
import dev.reverso.lint.SchemaState;
import dev.reverso.lint.rules.Rules;
import dev.reverso.engine.Effect;
import dev.reverso.engine.LockTimeoutRetry;
import dev.reverso.engine.Repair;
import dev.reverso.engine.RollbackPlanner;
import dev.reverso.engine.RollbackSource;
import dev.reverso.engine.Runner;
import dev.reverso.engine.Script;
import dev.reverso.engine.Session;
import dev.reverso.engine.Step;
import dev.reverso.history.AuditEntry;
import dev.reverso.history.ExpansionRow;
import dev.reverso.history.HistoryRow;
import dev.reverso.ops.ExpandContract;
import dev.reverso.release.EnvironmentGate;
import dev.reverso.release.EnvironmentHistory;
import dev.reverso.release.EnvironmentMatrix;
import dev.reverso.release.Environments;
import dev.reverso.release.Release;
import dev.reverso.release.ReleaseGates;
import dev.reverso.release.Risk;
import dev.reverso.release.RiskAssessment;
import dev.reverso.release.RiskThresholds;
import dev.reverso.ops.Expansion;
import dev.reverso.source.FileName;
import dev.reverso.history.Ledger;
import dev.reverso.history.LockHolder;
import dev.reverso.history.MigrationState;
import dev.reverso.history.StepRow;
import dev.reverso.source.Checksum;
import dev.reverso.source.Migration;
import dev.reverso.source.MigrationFolder;
import dev.reverso.source.MigrationSet;
import dev.reverso.source.SourceProblem;
import dev.reverso.source.Version;
import dev.reverso.sql.Classifier;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * Reverso as a library: every command of the command line is one method here. Each call opens its
 * own connection and closes it before returning; commands that write take the runner lock for
 * their whole duration.
 *
 * <pre>{@code
 * Reverso reverso = Reverso.with(ReversoConfig.of(DatabaseUrl.parse(url), Path.of("migrations")));
 * reverso.up(Optional.empty());
 * }</pre>
 *
 * <p>Failures a user can act on are thrown as {@link ReversoException}, whose kind says what sort
 * of failure it was. Bad input (the folder, the files, the arguments) is detected before any
 * connection is opened, so it never changes the database.
 */
public final class Reverso {

    private final ReversoConfig config;
    private final Database database;
    private final Ledger ledger;
    private final Classifier classifier = new Classifier();
    private final ArchiveIndex archives;
    private final TableWrites writes;
    private final dev.reverso.perf.Baselines baselines;

    private Reverso(ReversoConfig config) {
        this.config = config;
        this.database = new Database(config.url(), config.applicationName());
        this.ledger = Ledger.in(config.schema(), config.actor());
        this.archives = new ArchiveIndex(ledger.schema());
        this.writes = new TableWrites(ledger.schema());
        this.baselines = new dev.reverso.perf.Baselines(ledger.schema(), List.of(config.schema(), ledger.schema().archiveSchema()));
    }

    public static Reverso with(ReversoConfig config) {
        return new Reverso(config);
    }

    public ReversoConfig config() {
        return config;
    }

    /** Creates Reverso's schema when missing; returns whether it created it. */
    public boolean init() {
        return withConnection(false, c -> {
            boolean created = ledger.schema().ensure(c);
            ledger.audit().record(c, "init", null, created ? "created" : "already present", config.schema());
            return created;
        });
    }

    /** Every migration of the folder and the database, side by side. A missing folder reads as empty. */
    public StatusReport status() {
        MigrationSet set = readFolder(false);
        return withConnection(c -> {
            Optional<LockHolder> runner = ledger.lock().holder(c);
            Map<Version, HistoryRow> rows = rowsByVersion(c);
            TreeMap<Version, Migration> files = new TreeMap<>();
            set.migrations().forEach(m -> files.put(m.version(), m));
            TreeMap<Version, Boolean> all = new TreeMap<>();
            files.keySet().forEach(v -> all.put(v, true));
            rows.keySet().forEach(v -> all.put(v, true));
            List<MigrationStatus> out = new ArrayList<>();
            for (Version v : all.keySet()) {
                out.add(statusOf(c, v, files.get(v), rows.get(v), runner.isPresent()));
            }
            ExpandContract ops = readOnlyExpandContract(c);
            return new StatusReport(database.url().display(), config.schema(), out, runner.orElse(null),
                    ops.progress().orElse(null), ops.liveVersions());
        });
    }

    private MigrationStatus statusOf(Connection c, Version v, Migration file, HistoryRow row, boolean runnerAlive)
            throws SQLException {
        if (row == null) {
            return new MigrationStatus(v.toString(), file.name(), MigrationStatus.State.PENDING, null, null, null,
                    false, false, file.hasDown() || file.kind() == Migration.Kind.OPS, null);
        }
        if (row.kind().equals("ops")) {
            return opsStatusOf(c, row, file, runnerAlive);
        }
        boolean missing = file == null;
        boolean changed = !missing && !file.checksum().equals(row.checksum());
        MigrationStatus.State state;
        String detail = null;
        switch (row.state()) {
            case RUNNING -> {
                state = runnerAlive ? MigrationStatus.State.RUNNING : MigrationStatus.State.INTERRUPTED;
                detail = stepDetail(c, row, Direction.UP, runnerAlive ? "running" : "interrupted");
            }
            case FAILED -> {
                state = MigrationStatus.State.FAILED;
                detail = stepDetail(c, row, Direction.UP, "failed");
            }
            case ROLLING_BACK -> {
                boolean failed = row.error() != null;
                state = runnerAlive && !failed ? MigrationStatus.State.ROLLING_BACK : MigrationStatus.State.ROLLBACK_INTERRUPTED;
                detail = stepDetail(c, row, Direction.DOWN, failed ? "rollback failed" : runnerAlive ? "rolling back" : "rollback interrupted");
            }
            case ROLLED_BACK -> {
                return new MigrationStatus(row.version(), row.name(), MigrationStatus.State.ROLLED_BACK, null, null, null,
                        missing, changed, missing ? row.hasDown() : file.hasDown(), null);
            }
            default -> state = MigrationStatus.State.APPLIED;
        }
        return new MigrationStatus(row.version(), row.name(), state, detail, row.finishedAt(), row.durationMs(), missing,
                changed, row.hasDown(), row.error());
    }

    /** An operation migration's state, with the phase step it is at from its expansion row. */
    private MigrationStatus opsStatusOf(Connection c, HistoryRow row, Migration file, boolean runnerAlive) throws SQLException {
        boolean missing = file == null;
        boolean changed = !missing && !file.checksum().equals(row.checksum());
        Optional<ExpansionRow> e = ledger.expansions().find(c, row.version());
        String at = e.map(x -> x.phase() + " step " + (x.done() + 1) + (x.backfillRows() > 0 ? ", " + x.backfillRows()
                + " rows backfilled" : "")).orElse(null);
        MigrationStatus.State state = switch (row.state()) {
            case RUNNING -> runnerAlive ? MigrationStatus.State.RUNNING : MigrationStatus.State.INTERRUPTED;
            case FAILED -> MigrationStatus.State.FAILED;
            case ROLLING_BACK -> runnerAlive && row.error() == null ? MigrationStatus.State.ROLLING_BACK
                    : MigrationStatus.State.ROLLBACK_INTERRUPTED;
            case STARTED -> e.filter(x -> x.phase().equals("complete")).isPresent()
                    ? (runnerAlive ? MigrationStatus.State.RUNNING : MigrationStatus.State.INTERRUPTED) : MigrationStatus.State.STARTED;
            case ROLLED_BACK -> MigrationStatus.State.ROLLED_BACK;
            default -> MigrationStatus.State.APPLIED;
        };
        String detail = switch (state) {
            case STARTED -> "started: old and new versions live (new: " + e.map(ExpansionRow::versionSchema).orElse("?") + ")";
            case RUNNING, INTERRUPTED, FAILED, ROLLING_BACK, ROLLBACK_INTERRUPTED ->
                    state.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + (at == null ? "" : " at " + at)
                            + (!state.dirty() ? "" : state == MigrationStatus.State.ROLLBACK_INTERRUPTED
                            ? "; run reverso rollback again" : e.filter(x -> x.phase().equals("complete")).isPresent()
                            ? "; run reverso complete again" : "; run reverso start to resume or reverso rollback");
            default -> null;
        };
        return new MigrationStatus(row.version(), row.name(), state, detail, row.finishedAt(), row.durationMs(), missing,
                changed, true, row.error());
    }

    /** "failed at step 3 of 5 (line 12)", from the journal. */
    private String stepDetail(Connection c, HistoryRow row, Direction direction, String verb) throws SQLException {
        List<StepRow> journal = ledger.steps().list(c, row.version(), direction.dbValue());
        String sql = direction == Direction.UP ? row.upSql() : row.downSql();
        int total = Script.parse("stored " + direction.dbValue() + " of " + row.version(), sql, true, classifier).steps().size();
        Optional<StepRow> last = journal.stream().filter(s -> s.state() != StepRow.State.DONE).findFirst();
        long done = journal.stream().filter(s -> s.state() == StepRow.State.DONE).count();
        if (last.isEmpty()) {
            return verb + " after step " + done + " of " + total;
        }
        return verb + " at step " + last.get().step() + " of " + total + " (line " + last.get().line() + ")";
    }

    /** Applies pending migrations in version order, up to and including {@code to} when given. */
    public RunResult up(Optional<Version> to) {
        return up(to, Optional.empty(), RunChecks.none()).result();
    }

    /**
     * Applies pending migrations in version order, up to and including {@code to} when given,
     * first taking a snapshot when one is asked for: of the existing tables the pending SQL
     * migrations touch, or of the whole database. The snapshot is taken under the runner lock
     * before anything runs; if it fails, nothing runs.
     */
    public RunResult up(Optional<Version> to, Optional<SnapshotRequest> snapshot) {
        return up(to, snapshot, RunChecks.none()).result();
    }

    /**
     * Applies pending migrations with the checks around the run: a preflight of the pending
     * migrations after the runner lock is taken and before anything changes (a failing one stops
     * the run), and verify after a run that applied something. Nothing pending: no check.
     */
    public CheckedRun<RunResult> up(Optional<Version> to, RunChecks checks) {
        return up(to, Optional.empty(), checks);
    }

    /** Applies pending migrations with a snapshot first (when asked) and the checks around the run. */
    public CheckedRun<RunResult> up(Optional<Version> to, Optional<SnapshotRequest> snapshot, RunChecks checks) {
        return up(to, snapshot, checks, null);
    }

    /**
     * Applies pending migrations through the release gates: under the runner lock and before
     * anything changes, the environment gate (the previous environment applied each pending
     * migration with the same checksum at least the soak time ago) and the gates each migration's
     * risk level requires. Their outcome goes to the audit trail; one not met throws CHECK_FAILED
     * naming each migration and gate, and nothing runs.
     *
     * @param release the release process; null for none (as {@link #up(Optional, Optional, RunChecks)})
     */
    public CheckedRun<RunResult> up(Optional<Version> to, Optional<SnapshotRequest> snapshot, RunChecks checks, Release release) {
        MigrationSet set = readFolder(true);
        if (to.isPresent() && set.find(to.get()).isEmpty()) {
            throw ReversoException.badInput("--to " + to.get() + ": no migration with that version in " + set.location());
        }
        List<Migration> candidates = set.migrations().stream()
                .filter(m -> to.isEmpty() || m.version().compareTo(to.get()) <= 0).toList();
        Map<Version, Script> scripts = new HashMap<>();
        for (Migration m : candidates) {
            if (m.kind() == Migration.Kind.OPS) {
                ExpandContract.document(m);
            } else {
                scripts.put(m.version(), Script.parse(m.upFile(), m.upSql(), m.noTransaction(), classifier));
            }
        }
        CheckedRun<RunResult> run = asRunner((c, runner) -> {
            long start = System.nanoTime();
            Map<Version, HistoryRow> rows = rowsByVersion(c);
            refuseIfDirty(rows);
            Version newestApplied = rows.entrySet().stream().filter(e -> e.getValue().state().inEffect())
                    .map(Map.Entry::getKey).max(Comparator.naturalOrder()).orElse(null);
            List<Migration> pending = new ArrayList<>();
            for (Migration m : candidates) {
                HistoryRow row = rows.get(m.version());
                if (row == null || row.state() == MigrationState.ROLLED_BACK) {
                    pending.add(m);
                    if (newestApplied != null && m.version().compareTo(newestApplied) < 0) {
                        config.listener().on(new Event.Warning(m.upFile() + " is older than the newest applied migration ("
                                + newestApplied + "); applying it out of order"));
                    }
                } else if (!row.checksum().equals(m.checksum())) {
                    config.listener().on(new Event.Warning(m.upFile() + " changed since it was applied (checksum differs);"
                            + " the database keeps what was applied"));
                }
            }
            if (release != null && !pending.isEmpty()) {
                checkRelease(c, release, pending, scripts, new ReleaseGates.Offered(snapshot.isPresent(),
                        config.archive() != dev.reverso.archive.Archiving.OFF, checks.preflight(), release.approvedBy()));
            }
            if (!pending.isEmpty()) {
                refuseUntrustedArchive(c);
            }
            PreflightReport preflight = null;
            if (checks.preflight() && !pending.isEmpty()) {
                preflight = preflightBeforeRun(c, "up", preflightSteps(c, pending, scripts), preflightNotes(pending));
                if (preflight.failed()) {
                    return new CheckedRun<RunResult>(preflight, null, null);
                }
            }
            if (snapshot.isPresent() && !pending.isEmpty()) {
                snapshotBeforeUp(c, snapshot.get(), pending, scripts);
            }
            if (!pending.isEmpty()) {
                baselineBeforeRun(c, pending.get(0).version().toString(), "up", checks.baselineStatements());
            }
            List<RunResult.Ran> ran = new ArrayList<>();
            if (!pending.isEmpty()) {
                // Committed before anything runs: a run killed inside a migration's transaction leaves this trace.
                ledger.audit().record(c, "up", null, "started", pending.size() + " pending: " + range(pending.stream()
                        .map(m -> m.version().toString()).toList()));
            }
            config.listener().on(new Event.RunStarting(Direction.UP, pending.size()));
            runner.resumeDeferredRestores();
            Optional<ExpansionRow> live = ledger.expansions().active(c);
            if (live.isPresent() && !pending.isEmpty()) {
                throw ReversoException.badInput("operation migration " + live.get().version() + " is " + live.get().phase()
                        + "; run reverso complete (or reverso rollback) before applying more migrations");
            }
            for (Migration m : pending) {
                if (m.kind() == Migration.Kind.OPS) {
                    ExpandContract ec = expandContract(c, runner);
                    ExpandContract.Started started = ec.start(m);
                    long t0 = System.nanoTime();
                    ec.complete();
                    long ms = started.durationMs() + (System.nanoTime() - t0) / 1_000_000;
                    config.listener().on(new Event.MigrationFinished(m.version().toString(), m.name(), Direction.UP, ms));
                    ran.add(new RunResult.Ran(m.version().toString(), m.name(), false, ExpandContract.document(m).operations().size(), ms));
                    continue;
                }
                Script script = scripts.get(m.version());
                List<String> tables = touched(script);
                TableWrites.Meter meter = mayWriteRows(script) ? writes.meter(c) : null;
                runner.earlierInRun(ran.size());
                long ms = runner.apply(m, script, Optional.ofNullable(rows.get(m.version())), meter,
                        () -> writes.record(c, m.version().toString(), tables, meter));
                ran.add(new RunResult.Ran(m.version().toString(), m.name(), !script.autocommit(), script.steps().size(), ms,
                        destroys(script) ? archived(c, m.version().toString()) : List.of()));
            }
            if (!pending.isEmpty()) {
                ledger.audit().record(c, "up", null, "done", ran.size() + " applied");
            }
            return new CheckedRun<>(preflight, new RunResult(Direction.UP, ran, (System.nanoTime() - start) / 1_000_000), null);
        });
        boolean changed = !run.stopped() && !run.result().migrations().isEmpty();
        return checks.verify() && changed ? new CheckedRun<>(run.preflight(), run.result(), verifyAfter("up")) : run;
    }

    private void snapshotBeforeUp(Connection c, SnapshotRequest request, List<Migration> pending, Map<Version, Script> scripts)
            throws SQLException {
        Migration first = pending.get(0);
        Optional<Snapshot> taken = snapshots(c).take(request, touched(pending, scripts), first.version().toString());
        if (taken.isPresent()) {
            config.listener().on(new Event.SnapshotTaken(taken.get()));
        } else {
            config.listener().on(new Event.Warning("no snapshot taken: the pending SQL migrations touch no existing table"
                    + " (take one of the whole database with reverso snapshot --all)"));
        }
    }

    /** The relations the pending SQL migrations' statements lock, as written, in order. */
    private static List<String> touched(List<Migration> pending, Map<Version, Script> scripts) {
        java.util.LinkedHashSet<String> relations = new java.util.LinkedHashSet<>();
        for (Migration m : pending) {
            Script script = scripts.get(m.version());
            if (script != null) {
                script.steps().forEach(s -> relations.addAll(s.classification().targets()));
            }
        }
        return List.copyOf(relations);
    }

    private Snapshots snapshots(Connection c) {
        return new Snapshots(c, ledger, config.url(), config.actor(), config.applicationName(), config.retry().maxTotalWait());
    }

    /**
     * Takes a snapshot now: of the existing tables the pending SQL migrations touch, or with
     * {@link SnapshotRequest#all()} of the whole database (the folder is then not read).
     *
     * @return empty when the pending migrations touch no existing table
     */
    public Optional<Snapshot> snapshot(SnapshotRequest request) {
        Optional<Candidates> candidates = request.all() ? Optional.empty() : Optional.of(candidates(Optional.empty()));
        return withConnection(c -> {
            List<String> relations = candidates.isEmpty() ? List.of()
                    : touched(candidates.get().pending(rowsByVersion(c)), candidates.get().scripts());
            return snapshots(c).take(request, relations, null);
        });
    }

    /** Every snapshot recorded, oldest first, with whether its file is still there and unchanged. */
    public List<SnapshotStatus> snapshots() {
        return withConnection(c -> snapshots(c).list());
    }

    /**
     * Restores snapshot {@code id} into another database: never the live one, never from a file
     * whose checksum changed, never over existing tables unless {@code clean}.
     */
    public RestoreReport restore(long id, DatabaseUrl into, boolean clean, PgTools tools) {
        return withConnection(c -> snapshots(c).restore(id, into, clean, tools));
    }

    /**
     * Rolls back applied migrations, newest first, with the down SQL stored when each was applied;
     * the folder is not read. Refuses before anything runs when one of them has no down.
     */
    public RunResult down(DownTarget target) {
        return down(target, false, RunChecks.none()).result();
    }

    /**
     * Rolls back applied migrations, newest first. Before anything runs, the rollback is planned
     * ({@link #rollbackPlan}); when it would lose data written since, or cannot put back what a
     * migration destroyed, it is refused unless {@code acceptLoss}.
     */
    public RunResult down(DownTarget target, boolean acceptLoss) {
        return down(target, acceptLoss, RunChecks.none()).result();
    }

    /**
     * Rolls back with a preflight first (when asked): of the stored downs about to run and the
     * tables they touch, after the runner lock is taken and before anything changes.
     */
    public CheckedRun<RunResult> down(DownTarget target, RunChecks checks) {
        return down(target, false, checks);
    }

    /** Rolls back with the loss check ({@code acceptLoss}) and the preflight (when asked). */
    public CheckedRun<RunResult> down(DownTarget target, boolean acceptLoss, RunChecks checks) {
        return asRunner((c, runner) -> {
            long start = System.nanoTime();
            Map<Version, HistoryRow> rows = rowsByVersion(c);
            refuseIfDirty(rows);
            List<Map.Entry<Version, HistoryRow>> applied = rows.entrySet().stream()
                    .filter(e -> e.getValue().state().inEffect())
                    .sorted(Map.Entry.<Version, HistoryRow>comparingByKey().reversed()).toList();
            List<HistoryRow> chosen = choose(applied, target, rows);
            for (HistoryRow row : chosen) {
                if (row.kind().equals("ops")) {
                    throw ReversoException.badInput("cannot roll back " + row.version() + "_" + row.name() + ": it is an"
                            + " operation migration (" + row.state().dbValue() + "); " + (row.state() == MigrationState.STARTED
                            ? "use reverso rollback" : "a completed one is undone by a new migration") + "; nothing was rolled back");
                }
            }
            RollbackSource source = new RollbackSource(archives, classifier);
            Map<String, RollbackSource.Prepared> prepared = new HashMap<>();
            for (HistoryRow row : chosen) {
                prepared.put(row.version(), source.of(c, row));
            }
            if (!acceptLoss) {
                refuseLoss(c, chosen);
            }
            PreflightReport preflight = null;
            if (checks.preflight() && !chosen.isEmpty()) {
                Map<String, List<Step>> steps = new java.util.LinkedHashMap<>();
                chosen.forEach(row -> steps.put(prepared.get(row.version()).script().origin(),
                        prepared.get(row.version()).script().steps()));
                preflight = preflightBeforeRun(c, "down", steps, List.of(new PreflightReport.Item(PreflightReport.Status.PASS,
                        "to roll back", chosen.size() + " migration" + (chosen.size() == 1 ? "" : "s") + ": "
                        + range(chosen.stream().map(HistoryRow::version).toList()))));
                if (preflight.failed()) {
                    return new CheckedRun<RunResult>(preflight, null, null);
                }
            }
            List<RunResult.Ran> ran = new ArrayList<>();
            if (!chosen.isEmpty()) {
                ledger.audit().record(c, "down", null, "started", chosen.size() + " to roll back: "
                        + range(chosen.stream().map(HistoryRow::version).toList()));
            }
            config.listener().on(new Event.RunStarting(Direction.DOWN, chosen.size()));
            runner.resumeDeferredRestores();
            for (HistoryRow row : chosen) {
                RollbackSource.Prepared p = prepared.get(row.version());
                Script script = p.script();
                if (p.derived().isPresent()) {
                    config.listener().on(new Event.Warning(row.version() + "_" + row.name() + " has no down migration;"
                            + " running the down Reverso derived from its up and its archive"));
                }
                dev.reverso.archive.Restorer restorer = p.restorer(archives, c);
                TableWrites.Meter meter = restorer != null || mayWriteRows(script) ? writes.meter(c) : null;
                runner.earlierInRun(ran.size());
                long ms = runner.revert(row, script, restorer, meter, () -> {
                    if (meter != null) {
                        writes.recordDown(c, row.version(), meter);
                    }
                });
                ran.add(new RunResult.Ran(row.version(), row.name(), !script.autocommit(), script.steps().size(), ms,
                        restorer == null ? List.of() : restorer.outcomes()));
            }
            if (!chosen.isEmpty()) {
                ledger.audit().record(c, "down", null, "done", ran.size() + " rolled back");
            }
            return new CheckedRun<>(preflight, new RunResult(Direction.DOWN, ran, (System.nanoTime() - start) / 1_000_000), null);
        });
    }

    /**
     * Whether a script may write rows (DML, a DO block, a function a SELECT calls): only then is
     * what it writes metered. Reading the session's counters costs a scan of every table's
     * statistics; for 1,000 CREATE TABLE migrations that made up three times slower.
     */
    private static boolean mayWriteRows(Script script) {
        for (Step s : script.steps()) {
            String command = s.classification().command();
            boolean schemaOnly = (command.startsWith("CREATE") && !command.equals("CREATE TABLE AS"))
                    || command.startsWith("ALTER") || command.startsWith("DROP") || command.startsWith("COMMENT")
                    || command.startsWith("GRANT") || command.startsWith("REVOKE") || command.equals("SET")
                    || command.equals("RESET") || command.startsWith("ANALYZE") || command.startsWith("VACUUM")
                    || command.startsWith("REINDEX");
            if (!schemaOnly) {
                return true;
            }
        }
        return false;
    }

    /** Whether a script has a statement the archive acts on: only then is there an archive to read back. */
    private static boolean destroys(Script script) {
        return script.steps().stream().anyMatch(s -> !dev.reverso.archive.Destructions.of(s.statement()).isEmpty());
    }

    /** What the archive kept of a migration just applied, one line per entry, for the run's result. */
    private List<String> archived(Connection c, String version) throws SQLException {
        return archives.of(c, version).stream().filter(e -> e.restoredAt() == null)
                .map(e -> "step " + e.step() + ": " + (e.kind() == ArchiveEntry.Kind.NOT_ARCHIVED ? "not archived: "
                        + e.detail().note() : e.archiveTable() == null ? e.kind().dbValue() + " " + e.source() + ": "
                        + e.detail().note() : e.kind().dbValue() + " " + e.source() + ", " + e.rows() + " rows in "
                        + ledger.schema().archiveSchema() + "." + e.archiveTable()))
                .toList();
    }

    /** The tables a script names, as to_regclass reads them, for recording their write counters. */
    private static List<String> touched(Script script) {
        return script.steps().stream().flatMap(s -> s.classification().targets().stream())
                .map(name -> String.join(".", java.util.Arrays.stream(name.split("\\.")).map(dev.reverso.sql.Identifiers::quote).toList()))
                .distinct().toList();
    }

    /**
     * What rolling back {@code target} would do, without doing it: each step's reversal, the archive's
     * restores, the writes since, the losses and a verdict.
     */
    public RollbackPlan rollbackPlan(DownTarget target) {
        return withConnection(true, c -> {
            Map<Version, HistoryRow> rows = rowsByVersion(c);
            List<Map.Entry<Version, HistoryRow>> applied = rows.entrySet().stream()
                    .filter(e -> e.getValue().state().inEffect())
                    .sorted(Map.Entry.<Version, HistoryRow>comparingByKey().reversed()).toList();
            RollbackPlanner planner = new RollbackPlanner(archives, writes, classifier);
            List<RollbackPlan.Migration> plans = new ArrayList<>();
            java.util.Set<String> ahead = new java.util.HashSet<>();
            for (HistoryRow row : choose(applied, target, rows)) {
                if (row.kind().equals("ops")) {
                    throw ReversoException.badInput("cannot plan a down of " + row.version() + "_" + row.name()
                            + ": it is an operation migration; see reverso rollback --plan");
                }
                plans.add(planner.plan(c, row, ahead));
                ahead.add(row.version());
            }
            return RollbackPlan.of(plans);
        });
    }

    /**
     * What {@code rollback} of the started operation migration would do: each step of its rollback.
     * Nothing of the old version is touched (the triggers kept its columns up to date), so it is
     * safe; what goes is what only the new version had: its new columns and its version schema.
     */
    public RollbackPlan expansionRollbackPlan() {
        return withConnection(true, c -> {
            ExpansionRow a = ledger.expansions().active(c).orElseThrow(() ->
                    ReversoException.badInput("no operation migration is started; nothing to roll back (for SQL migrations"
                            + " see reverso down --plan)"));
            HistoryRow row = ledger.history().find(c, a.version()).orElseThrow();
            List<RollbackPlan.Step> steps = new ArrayList<>();
            steps.add(new RollbackPlan.Step(RollbackPlan.Kind.REVERSIBLE, "drop schema " + a.versionSchema(),
                    "the new version's views go; applications on the old version are not affected"));
            for (dev.reverso.ops.Action action : Expansion.plan(a).steps(dev.reverso.ops.Plan.Phase.ROLLBACK)) {
                steps.add(new RollbackPlan.Step(RollbackPlan.Kind.REVERSIBLE, action.what(),
                        "undoes what start added; the old version's columns were kept up to date by the triggers"));
            }
            java.time.Instant at = row.startedAt();
            RollbackPlan.Migration m = new RollbackPlan.Migration(row.version(), row.name(), at,
                    java.time.Duration.between(at, java.time.Instant.now()), false, steps, List.of(),
                    List.of(), RollbackPlan.Verdict.SAFE);
            return new RollbackPlan(List.of(m), RollbackPlan.Verdict.SAFE);
        });
    }

    private void refuseLoss(Connection c, List<HistoryRow> chosen) throws SQLException {
        RollbackPlanner planner = new RollbackPlanner(archives, writes, classifier);
        // Newest first: what the migrations rolled back ahead of a migration wrote is not written since.
        java.util.Set<String> ahead = new java.util.HashSet<>();
        for (HistoryRow row : chosen) {
            RollbackPlan.Migration plan = planner.plan(c, row, ahead);
            ahead.add(row.version());
            if (plan.verdict().losesData()) {
                String why = !plan.losses().isEmpty() ? plan.losses().get(0) : plan.steps().stream()
                        .filter(s -> s.kind() == RollbackPlan.Kind.IRREVERSIBLE).map(s -> s.statement() + ": " + s.detail())
                        .findFirst().orElse("");
                throw new ReversoException(ReversoException.Kind.CHECK_FAILED, "rolling back " + row.version() + "_" + row.name()
                        + " would lose data (" + plan.verdict().text() + "): " + why
                        + "; see reverso down --plan, or pass --accept-loss; nothing was rolled back");
            }
        }
    }

    /** What the archive holds: every entry, oldest first, with its size on disk now. */
    public List<ArchiveEntry> archive() {
        return withConnection(true, c -> {
            List<ArchiveEntry> out = new ArrayList<>();
            for (ArchiveEntry e : archives.all(c)) {
                out.add(new ArchiveEntry(e.id(), e.version(), e.step(), e.kind(), e.sourceSchema(), e.sourceTable(), e.archiveTable(),
                        e.detail(), e.rows(), archives.bytes(c, e), e.createdAt(), e.restoredAt(), e.restoreNote()));
            }
            return out;
        });
    }

    /**
     * Drops archived data: that of one migration, or everything archived longer ago than {@code olderThan}.
     * Never done implicitly.
     *
     * @return the entries dropped
     */
    public List<ArchiveEntry> purgeArchive(Optional<java.time.Duration> olderThan, Optional<Version> version) {
        if (olderThan.isEmpty() && version.isEmpty()) {
            throw ReversoException.badInput("archive purge needs --older-than DURATION or --migration VERSION");
        }
        java.time.Instant cutoff = olderThan.map(d -> java.time.Instant.now().minus(d)).orElse(null);
        return asRunner((c, runner) -> {
            List<ArchiveEntry> purged = archives.purge(c, e -> (version.isEmpty() || Version.parse(e.version()).equals(version.get()))
                    && (cutoff == null || e.createdAt().isBefore(cutoff)));
            ledger.audit().record(c, "archive purge", version.map(Version::toString).orElse(null), "purged",
                    purged.size() + " archive entries" + olderThan.map(d -> " older than " + d).orElse(""));
            return purged;
        });
    }

    private static List<HistoryRow> choose(List<Map.Entry<Version, HistoryRow>> appliedNewestFirst, DownTarget target,
                                           Map<Version, HistoryRow> rows) {
        if (target instanceof DownTarget.Count count) {
            return appliedNewestFirst.stream().limit(count.n()).map(Map.Entry::getValue).toList();
        }
        if (target instanceof DownTarget.To to) {
            Version v = to.version();
            boolean zero = v.parts().size() == 1 && v.parts().get(0).signum() == 0;
            if (!zero && (!rows.containsKey(v) || !rows.get(v).state().inEffect())) {
                throw ReversoException.badInput("--to " + v + ": that version is not applied (use --to 0 to roll back everything)");
            }
            return appliedNewestFirst.stream().filter(e -> e.getKey().compareTo(v) > 0).map(Map.Entry::getValue).toList();
        }
        return appliedNewestFirst.stream().map(Map.Entry::getValue).toList();
    }

    /**
     * The gates of a run, before anything changes: the environment gate, then the risk gates. Each
     * outcome is written to the audit trail (committed: a refusal leaves its trace).
     *
     * @throws ReversoException CHECK_FAILED with one line per migration and gate not met
     */
    private void checkRelease(Connection c, Release release, List<Migration> pending, Map<Version, Script> scripts,
                              ReleaseGates.Offered offered) throws SQLException {
        if (release.environment().isPresent()) {
            EnvironmentGate.Verdict verdict = new EnvironmentGate(release.environments(), config.schema(), config.applicationName())
                    .check(release.environment().get(), pending);
            String detail = "--env " + verdict.target() + (verdict.previous() == null ? " (the first environment: no predecessor)"
                    : ": " + (verdict.passed() ? "every pending migration passed " + verdict.previous()
                    : String.join("; ", verdict.refusals())));
            ledger.audit().record(c, "environment gate", null, verdict.passed() ? "passed" : "refused", detail);
            if (!verdict.passed()) {
                throw new ReversoException(ReversoException.Kind.CHECK_FAILED, "the environment gate refused the run in "
                        + verdict.target() + "; nothing was changed:\n  " + String.join("\n  ", verdict.refusals()));
            }
        }
        if (release.approvedBy().isPresent()) {
            ledger.audit().record(c, "approval", null, "given", "approved by " + release.approvedBy().get() + ": "
                    + range(pending.stream().map(m -> m.version().toString()).toList()));
        }
        List<ReleaseGates.Outcome> outcomes = ReleaseGates.judge(risks(c, pending, scripts, release.thresholds()), release.policy(),
                offered, this::roundtripFailure);
        for (ReleaseGates.Outcome o : outcomes) {
            ledger.audit().record(c, "gate", o.version(), o.met() ? "passed" : "refused", o.describe());
        }
        List<String> unmet = outcomes.stream().filter(o -> !o.met()).map(ReleaseGates.Outcome::describe).toList();
        if (!unmet.isEmpty()) {
            throw new ReversoException(ReversoException.Kind.CHECK_FAILED, "the release gates refused the run; nothing was changed:\n  "
                    + String.join("\n  ", unmet));
        }
    }

    /** The roundtrip check for a gate: empty when it passed, else the first failure. */
    private Optional<String> roundtripFailure() {
        RoundtripReport report = roundtrip();
        return report.migrations().stream().filter(r -> r.outcome() == RoundtripReport.Outcome.FAILED
                        || r.outcome() == RoundtripReport.Outcome.DOWN_DIFFERS || r.outcome() == RoundtripReport.Outcome.REAPPLY_DIFFERS)
                .findFirst().map(r -> "roundtrip " + r.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                        + " at " + r.version() + "_" + r.name() + (r.error() == null ? "" : ": " + r.error()));
    }

    /**
     * The risk level of each pending migration up to {@code to}, with its reasons, from lint
     * (judged by the live tables), the statements' locks, the catalog's table sizes, the data the
     * statements destroy and whether they can be taken back. Reads only.
     */
    public List<Risk> risks(Optional<Version> to, RiskThresholds thresholds) {
        Candidates candidates = candidates(to);
        return withConnection(false, c -> {
            Map<Version, HistoryRow> rows = ledger.schema().exists(c) ? rowsByVersion(c) : Map.of();
            List<Migration> pending = new ArrayList<>(candidates.pending(rows));
            pending.addAll(candidates.pendingOperations(rows));
            pending.sort(Comparator.comparing(Migration::version));
            return risks(c, pending, candidates.scripts(), thresholds);
        });
    }

    private List<Risk> risks(Connection c, List<Migration> pending, Map<Version, Script> scripts, RiskThresholds thresholds)
            throws SQLException {
        Catalog catalog = new Catalog(c);
        LintReport lint = liveLint(c, catalog, pending.stream().filter(m -> m.kind() == Migration.Kind.SQL)
                .map(m -> new Linter.Source(m.upFile(), m.upSql())).toList(), LintSettings.defaults(), thresholds.bigRows());
        Map<String, Optional<TableSize>> sizes = new HashMap<>();
        for (Migration m : pending) {
            if (m.kind() == Migration.Kind.SQL) {
                for (Step s : scripts.get(m.version()).steps()) {
                    for (String relation : s.classification().targets()) {
                        sizes.putIfAbsent(relation, catalog.size(relation));
                    }
                }
            }
        }
        for (Finding f : lint.findings()) {
            if (f.relation() != null) {
                sizes.putIfAbsent(f.relation(), catalog.size(f.relation()));
            }
        }
        RiskAssessment assessment = new RiskAssessment(thresholds, config.archive(), r -> sizes.getOrDefault(r, Optional.empty()));
        return pending.stream().map(m -> m.kind() == Migration.Kind.OPS ? assessment.ofOperation(m)
                : assessment.of(m, scripts.get(m.version()), lint.findings().stream().filter(f -> f.file().equals(m.upFile())).toList()))
                .toList();
    }

    /**
     * Every environment's history side by side with the folder: each migration in each
     * environment, read over read-only connections; an environment that cannot be read shows as
     * unreachable. The target of this Reverso is not read (unless it is one of the environments).
     */
    public EnvironmentMatrix environments(Environments environments) {
        MigrationSet set = readFolder(false);
        List<EnvironmentHistory> histories = environments.list().stream().map(e -> EnvironmentHistory.read(e,
                environments.variables(), config.schema(), config.applicationName())).toList();
        return EnvironmentMatrix.of(set.migrations(), histories);
    }

    /**
     * A dry run: each pending migration's statements with their locks, and the transactional ones
     * executed in one transaction that is rolled back, so errors show without changing anything.
     */
    public PlanReport plan(Optional<Version> to) {
        Candidates candidates = candidates(to);
        return withConnection(c -> {
            List<Migration> pending = candidates.pending(rowsByVersion(c));
            Session session = new Session(c, config.statementTimeout());
            session.lockTimeout(config.retry().maxLockTimeout());
            List<PlanReport.PlannedMigration> out = new ArrayList<>();
            c.setAutoCommit(false);
            try {
                for (Migration m : pending) {
                    out.add(dryRun(session, m, candidates.scripts().get(m.version())));
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
            for (Migration m : candidates.pendingOperations(rowsByVersion(c))) {
                out.add(readOnlyExpandContract(c).preview(m, classifier));
            }
            out.sort(Comparator.comparing(p -> Version.parse(p.version())));
            return new PlanReport(out);
        });
    }

    /**
     * The pending migrations run for real on a scratch copy of the target's schema (no data; made
     * with pg_dump, dropped after): each statement's real locks and rewrites beside the static
     * view, and where they disagree. Reads the target only.
     */
    public TraceReport trace(Optional<Version> to) {
        Candidates candidates = candidates(to);
        List<Migration> pending = withConnection(false, c -> candidates.pending(ledger.schema().exists(c) ? rowsByVersion(c) : Map.of()));
        LintReport lint = new Linter(Rules.all(), LintSettings.defaults()).lint(pending.stream()
                .map(m -> new Linter.Source(m.upFile(), m.upSql())).toList());
        try (dev.reverso.catalog.SchemaCopy copy = dev.reverso.catalog.SchemaCopy.of(database);
             Connection scratch = new Database(copy.url(), config.applicationName()).connect()) {
            dev.reverso.engine.Trace trace = new dev.reverso.engine.Trace(scratch);
            List<TraceReport.TracedMigration> out = new ArrayList<>();
            for (Migration m : pending) {
                List<Finding> findings = lint.findings().stream().filter(f -> f.file().equals(m.upFile())).toList();
                out.add(trace.run(m.version().toString(), m.name(), candidates.scripts().get(m.version()), findings));
            }
            return new TraceReport(copy.name(), out);
        } catch (SQLException e) {
            throw fromSql(e);
        }
    }

    /**
     * The runbook of the pending migrations: steps with lock, live table size and estimated
     * duration, what the application must tolerate, how to roll back, what to do if a step fails.
     * Reads the target only.
     */
    public Runbook runbook(Optional<Version> to) {
        Candidates candidates = candidates(to);
        return withConnection(false, c -> {
            List<Migration> pending = candidates.pending(ledger.schema().exists(c) ? rowsByVersion(c) : Map.of());
            Catalog catalog = new Catalog(c);
            LintReport lint = new Linter(Rules.all(), LintSettings.defaults().withServerMajor(catalog.serverMajor()))
                    .lint(pending.stream().map(m -> new Linter.Source(m.upFile(), m.upSql())).toList());
            dev.reverso.engine.RunbookWriter writer = new dev.reverso.engine.RunbookWriter(catalog, config.retry());
            List<Runbook.Entry> entries = new ArrayList<>();
            for (Migration m : pending) {
                entries.add(writer.write(m.version().toString(), m.name(), candidates.scripts().get(m.version()), m.hasDown(),
                        lint.findings().stream().filter(f -> f.file().equals(m.upFile())).toList()));
            }
            ExpandContract ops = readOnlyExpandContract(c);
            for (Migration m : candidates.pendingOperations(ledger.schema().exists(c) ? rowsByVersion(c) : Map.of())) {
                PlanReport.PlannedMigration preview = ops.preview(m, classifier);
                if (preview.error() != null) {
                    throw ReversoException.badInput(preview.error());
                }
                entries.add(writer.writeOperation(preview, ops.versionSchemaOf(m), config.backfill().batchSize()));
            }
            entries.sort(Comparator.comparing(e -> Version.parse(e.version())));
            return new Runbook(database.url().display(), entries);
        });
    }

    private PlanReport.PlannedMigration dryRun(Session session, Migration m, Script script) throws SQLException {
        List<PlanReport.PlannedStatement> statements = new ArrayList<>();
        for (Step s : script.steps()) {
            var cl = s.classification();
            statements.add(new PlanReport.PlannedStatement(s.line(), cl.command(), cl.lock().sqlName(), cl.lockCertain(),
                    cl.lock().blocks(), cl.targets(), !script.autocommit(), s.summary(),
                    archiveNote(session.connection(), s, earlier(script, s))));
        }
        if (script.autocommit()) {
            String why = script.firstNonTransactional()
                    .map(s -> "line " + s.line() + " (" + s.classification().command() + ") cannot run in a transaction")
                    .orElse("the file asks for -- reverso:no-transaction");
            return new PlanReport.PlannedMigration(m.version().toString(), m.name(), false, statements,
                    "not executed: runs statement by statement outside a transaction, " + why, null);
        }
        Connection c = session.connection();
        Savepoint savepoint = c.setSavepoint();
        // What up runs, archive included (it can move a table away, or fail on its own), rolled back after.
        Optional<Archiver> archiver = archiver();
        for (Step s : script.steps()) {
            try {
                if (archiver.isEmpty()) {
                    session.execute(s);
                    continue;
                }
                Archiver.Prepared prepared = archiver.get().prepare(c, m.version().toString(), s.number(), s.statement(),
                        earlier(script, s));
                if (prepared.sql() != null) {
                    session.execute(prepared.sql());
                }
                archiver.get().finish(c, prepared);
                // Archiving that failed (and would fail in up): the plan's promise is not kept, say so.
                if (prepared.warnings().stream().anyMatch(w -> w.contains(Archiver.FAILED))) {
                    int at = s.number() - 1;
                    PlanReport.PlannedStatement planned = statements.get(at);
                    statements.set(at, new PlanReport.PlannedStatement(planned.line(), planned.command(), planned.lock(),
                            planned.lockCertain(), planned.blocks(), planned.targets(), planned.inTransaction(), planned.sql(),
                            String.join("; ", prepared.warnings())));
                }
            } catch (SQLException e) {
                c.rollback(savepoint);
                String message = m.upFile() + ":" + s.line() + ": " + Database.serverMessage(e);
                return new PlanReport.PlannedMigration(m.version().toString(), m.name(), true, statements, "failed", message);
            }
        }
        return new PlanReport.PlannedMigration(m.version().toString(), m.name(), true, statements, "ok", null);
    }

    /** The SQL migrations of the folder up to a version, parsed before any connection is opened. */
    private record Candidates(List<Migration> migrations, Map<Version, Script> scripts, List<Migration> operations) {

        /** The SQL migrations the history has not applied (or has rolled back). */
        List<Migration> pending(Map<Version, HistoryRow> rows) {
            return pending(migrations, rows);
        }

        /** The operation migrations the history has not applied (or has rolled back). */
        List<Migration> pendingOperations(Map<Version, HistoryRow> rows) {
            return pending(operations, rows);
        }

        private static List<Migration> pending(List<Migration> of, Map<Version, HistoryRow> rows) {
            return of.stream().filter(m -> rows.get(m.version()) == null
                    || rows.get(m.version()).state() == MigrationState.ROLLED_BACK).toList();
        }
    }

    private Candidates candidates(Optional<Version> to) {
        MigrationSet set = readFolder(true);
        List<Migration> due = set.migrations().stream()
                .filter(m -> to.isEmpty() || m.version().compareTo(to.get()) <= 0).toList();
        List<Migration> migrations = due.stream().filter(m -> m.kind() == Migration.Kind.SQL).toList();
        Map<Version, Script> scripts = new HashMap<>();
        for (Migration m : migrations) {
            scripts.put(m.version(), Script.parse(m.upFile(), m.upSql(), m.noTransaction(), classifier));
        }
        return new Candidates(migrations, scripts, due.stream().filter(m -> m.kind() == Migration.Kind.OPS).toList());
    }

    /** Checks the folder against itself and the history: drift, missing downs, gaps, duplicates, dirt. */
    public ValidationReport validate() {
        MigrationSet set = readFolder(true);
        List<ValidationReport.Finding> findings = new ArrayList<>();
        for (SourceProblem p : set.problems()) {
            findings.add(new ValidationReport.Finding(ValidationReport.Type.valueOf(p.type().name()), null, p.file(), p.message()));
        }
        return withConnection(c -> {
            Map<Version, HistoryRow> rows = rowsByVersion(c);
            java.util.TreeSet<Version> known = new java.util.TreeSet<>(rows.keySet());
            set.migrations().forEach(m -> known.add(m.version()));
            findings.addAll(gaps(List.copyOf(known)));
            Version newestApplied = rows.entrySet().stream().filter(e -> e.getValue().state().inEffect())
                    .map(Map.Entry::getKey).max(Comparator.naturalOrder()).orElse(null);
            for (Migration m : set.migrations()) {
                HistoryRow row = rows.get(m.version());
                String v = m.version().toString();
                if (row == null || row.state() == MigrationState.ROLLED_BACK) {
                    if (newestApplied != null && m.version().compareTo(newestApplied) < 0) {
                        findings.add(new ValidationReport.Finding(ValidationReport.Type.OUT_OF_ORDER, v, m.upFile(),
                                "pending, but older than the newest applied migration " + newestApplied));
                    }
                    continue;
                }
                if (!row.checksum().equals(m.checksum())) {
                    findings.add(new ValidationReport.Finding(ValidationReport.Type.CHECKSUM_DRIFT, v, m.upFile(),
                            "changed since it was applied (applied " + row.checksum().substring(0, 12) + ", file "
                                    + m.checksum().substring(0, 12) + ")"));
                }
                if (m.downSql() != null && row.downSql() != null
                        && !Checksum.normalise(m.downSql()).equals(Checksum.normalise(row.downSql()))) {
                    findings.add(new ValidationReport.Finding(ValidationReport.Type.DOWN_CHANGED, v, m.downFile(),
                            "changed since it was applied; a rollback runs the down stored at apply time"));
                }
                if (row.state().dirty()) {
                    findings.add(new ValidationReport.Finding(ValidationReport.Type.DIRTY, v, m.upFile(),
                            "dirty (" + row.state().dbValue() + "); run reverso repair"));
                }
            }
            for (Map.Entry<Version, HistoryRow> e : rows.entrySet()) {
                if (set.find(e.getKey()).isEmpty() && e.getValue().state().inEffect()) {
                    findings.add(new ValidationReport.Finding(ValidationReport.Type.MISSING_FILE, e.getKey().toString(), null,
                            e.getKey() + "_" + e.getValue().name() + " is applied but its file is gone from " + set.location()));
                }
            }
            return new ValidationReport(findings);
        });
    }

    /**
     * Holes in a sequential numbering (1, 2, 4) of the versions in the folder or the history: a
     * migration lost in a merge. Timestamp versions are not sequential, so only small
     * single-number versions are checked.
     */
    private static List<ValidationReport.Finding> gaps(List<Version> versions) {
        List<ValidationReport.Finding> out = new ArrayList<>();
        boolean sequential = !versions.isEmpty() && versions.stream().allMatch(v -> v.parts().size() == 1
                && v.parts().get(0).bitLength() < 20);
        if (!sequential) {
            return out;
        }
        for (int i = 1; i < versions.size(); i++) {
            long prev = versions.get(i - 1).parts().get(0).longValue();
            long cur = versions.get(i).parts().get(0).longValue();
            if (cur - prev > 1) {
                String missing = cur - prev == 2 ? String.valueOf(prev + 1) : (prev + 1) + "-" + (cur - 1);
                out.add(new ValidationReport.Finding(ValidationReport.Type.GAP, missing, null,
                        "no migration numbered " + missing + " between " + prev + " and " + cur));
            }
        }
        return out;
    }

    /**
     * Lints against the live database: the server's version decides the version rules, the live
     * schema read from the catalog ({@link LiveSchema}) is the one the migrations are replayed onto, and
     * the findings whose cost grows with the table are judged by the live table's size (see
     * {@link LiveJudgement}). Reads only; writes nothing, not even Reverso's schema.
     */
    public LintReport lint(List<Linter.Source> sources, LintSettings settings, long bigTableRows) {
        return withConnection(false, c -> liveLint(c, new Catalog(c), sources, settings, bigTableRows));
    }

    private LintReport liveLint(Connection c, Catalog catalog, List<Linter.Source> sources, LintSettings settings, long bigTableRows)
            throws SQLException {
        // Reverso's own tables are no migration's business.
        SchemaState live = LiveSchema.read(c, List.of(config.schema(), ledger.schema().archiveSchema()));
        LintReport report = new Linter(Rules.all(), settings.withServerMajor(catalog.serverMajor())).lint(sources, live);
        Map<String, TableSize> sizes = new HashMap<>();
        for (Finding f : report.findings()) {
            if (f.relation() != null && !sizes.containsKey(f.relation())) {
                catalog.size(f.relation()).ifPresent(size -> sizes.put(f.relation(), size));
            }
        }
        return new LiveJudgement(sizes, bigTableRows).judge(report);
    }

    /**
     * Starts an operation migration (pgroll's format): the expand phase, after which the old and the
     * new version are both live, the new one in its own schema of views. Resumes an interrupted start.
     *
     * @param fileOrVersion a version of the folder, or an operation file's path
     */
    public ExpandContract.Started start(String fileOrVersion) {
        return start(fileOrVersion, RunChecks.none()).result();
    }

    /**
     * Starts an operation migration with a preflight first (when asked) of the expand phase's
     * statements and tables; none when it is already started.
     */
    public CheckedRun<ExpandContract.Started> start(String fileOrVersion, RunChecks checks) {
        Migration m = operationMigration(fileOrVersion);
        ExpandContract.document(m);
        return asRunner((c, runner) -> {
            ExpandContract ec = expandContract(c, runner);
            boolean started = ledger.expansions().active(c)
                    .filter(a -> a.version().equals(m.version().toString()) && a.phase().equals("started")).isPresent();
            PreflightReport preflight = null;
            if (checks.preflight() && !started) {
                preflight = preflightBeforeRun(c, "start", Map.of(m.upFile() + " (start)",
                        ec.plannedSteps(m, List.of(dev.reverso.ops.Plan.Phase.START), classifier)), List.of());
                if (preflight.failed()) {
                    return new CheckedRun<ExpandContract.Started>(preflight, null, null);
                }
            }
            return new CheckedRun<>(preflight, ec.start(m), null);
        });
    }

    /** The contract phase of the started operation migration: the old version goes, the new one stays. */
    public ExpansionRow complete() {
        return complete(RunChecks.none()).result();
    }

    /**
     * The contract phase with the checks around it (when asked): a preflight of the stored plan's
     * contract statements and tables, and verify after.
     */
    public CheckedRun<ExpansionRow> complete(RunChecks checks) {
        CheckedRun<ExpansionRow> run = asRunner((c, runner) -> {
            ExpandContract ec = expandContract(c, runner);
            Optional<ExpansionRow> active = ledger.expansions().active(c);
            if (active.isPresent()) {
                refuseUntrustedArchive(c);
            }
            PreflightReport preflight = null;
            if (checks.preflight() && active.isPresent()) {
                preflight = preflightBeforeRun(c, "complete", Map.of("complete of " + active.get().version(),
                        ec.completeSteps(classifier)), List.of());
                if (preflight.failed()) {
                    return new CheckedRun<ExpansionRow>(preflight, null, null);
                }
            }
            if (active.isPresent()) {
                baselineBeforeRun(c, active.get().version(), "complete", checks.baselineStatements());
            }
            return new CheckedRun<>(preflight, ec.complete(), null);
        });
        return checks.verify() && !run.stopped() ? new CheckedRun<>(run.preflight(), run.result(), verifyAfter("complete")) : run;
    }

    /** Undoes the started operation migration's expansion, leaving the old version exactly as it was. */
    public ExpansionRow rollback() {
        return asRunner((c, runner) -> expandContract(c, runner).rollback());
    }

    /** The schema an application should put first on its search_path to use the newest version. */
    public String latest() {
        return withConnection(c -> readOnlyExpandContract(c).latest());
    }

    /** The operation migration that is started or part way through a phase, if any. */
    public Optional<ExpansionRow> expansion() {
        return withConnection(c -> ledger.expansions().active(c));
    }

    /** For what only reads: status, latest, plan; it has no runner to run a phase with. */
    private ExpandContract readOnlyExpandContract(Connection c) {
        return new ExpandContract(c, ledger, null, config.targetSchema(), config.actor());
    }

    private ExpandContract expandContract(Connection c, Runner runner) {
        Expansion expansion = new Expansion(runner.session(), runner.retry(), ledger.expansions(), runner.listener(), classifier,
                config.backfill(), archiver());
        return new ExpandContract(c, ledger, expansion, config.targetSchema(), config.actor());
    }

    private Migration operationMigration(String fileOrVersion) {
        MigrationSet set = readFolder(false);
        Optional<Migration> found = Optional.empty();
        try {
            found = set.find(Version.parse(fileOrVersion));
        } catch (IllegalArgumentException notAVersion) {
            String file = java.nio.file.Path.of(fileOrVersion).getFileName().toString();
            found = set.migrations().stream().filter(m -> m.upFile().equals(file)).findFirst();
            if (found.isEmpty() && java.nio.file.Files.isRegularFile(java.nio.file.Path.of(fileOrVersion))) {
                found = Optional.of(readOperationFile(java.nio.file.Path.of(fileOrVersion)));
            }
        }
        Migration m = found.orElseThrow(() -> ReversoException.badInput(fileOrVersion + ": no such migration in "
                + config.dir() + " and no such file"));
        if (m.kind() != Migration.Kind.OPS) {
            throw ReversoException.badInput(m.upFile() + " is a SQL migration; start takes an operation migration"
                    + " (.json or .yaml); apply SQL migrations with reverso up");
        }
        return m;
    }

    private static Migration readOperationFile(java.nio.file.Path path) {
        FileName name;
        try {
            name = FileName.parse(path.getFileName().toString()).filter(f -> f.role() == FileName.Role.OPERATIONS)
                    .orElseThrow(() -> new IllegalArgumentException("expected NNNN_name.json or NNNN_name.yaml"));
        } catch (IllegalArgumentException e) {
            throw ReversoException.badInput(path + ": " + e.getMessage());
        }
        try {
            String text = java.nio.file.Files.readString(path);
            return new Migration(name.version(), name.name(), Migration.Kind.OPS, text, null, path.toString(), null,
                    Checksum.of(text), false);
        } catch (IOException e) {
            throw ReversoException.badInput("cannot read " + path + ": " + e.getMessage());
        }
    }

    /**
     * The schema difference between the target and another database: "does staging match
     * production?". Reverso's own schema is left out of both.
     */
    public SchemaDiff diff(DatabaseUrl other) {
        SchemaSnapshot mine = withConnection(false, c -> SchemaSnapshot.read(c, List.of(config.schema(), ledger.schema().archiveSchema())));
        SchemaSnapshot theirs;
        try (Connection c = new Database(other, config.applicationName()).connect()) {
            theirs = SchemaSnapshot.read(c, List.of(config.schema(), ledger.schema().archiveSchema()));
        } catch (SQLException e) {
            throw fromSql(e);
        }
        return new SchemaDiff(database.url().display(), other.display(), mine.objects().size(), mine.against(theirs));
    }

    /**
     * Tests every migration's rollback: on a new scratch database on the target's server, applies
     * each migration, rolls it back and applies it again, comparing schema snapshots, then drops the
     * scratch database. The target itself is only used to create and drop the scratch database.
     */
    public RoundtripReport roundtrip() {
        MigrationSet set = readFolder(true);
        return onScratchDatabase("reverso_roundtrip_", scratch -> {
            Reverso there = Reverso.with(scratchConfig(scratch));
            List<RoundtripReport.Checked> out = new ArrayList<>();
            for (Migration m : set.migrations()) {
                out.add(there.roundtripOne(m));
                RoundtripReport.Outcome last = out.get(out.size() - 1).outcome();
                if (last == RoundtripReport.Outcome.FAILED || last == RoundtripReport.Outcome.DOWN_DIFFERS) {
                    break;
                }
            }
            return new RoundtripReport(scratch.display(), out);
        });
    }

    private RoundtripReport.Checked roundtripOne(Migration m) {
        String v = m.version().toString();
        try {
            SchemaSnapshot before = snapshot();
            up(Optional.of(m.version()));
            SchemaSnapshot after = snapshot();
            if (m.kind() == Migration.Kind.OPS) {
                return new RoundtripReport.Checked(v, m.name(), RoundtripReport.Outcome.NOT_REVERSIBLE, List.of(), null);
            }
            if (!m.hasDown()) {
                return new RoundtripReport.Checked(v, m.name(), RoundtripReport.Outcome.NO_DOWN, List.of(), null);
            }
            down(new DownTarget.Count(1));
            List<SchemaSnapshot.Difference> undone = before.against(snapshot());
            if (!undone.isEmpty()) {
                // Applying it again on a schema its down did not restore would only fail for that reason.
                return new RoundtripReport.Checked(v, m.name(), RoundtripReport.Outcome.DOWN_DIFFERS, undone, null);
            }
            up(Optional.of(m.version()));
            List<SchemaSnapshot.Difference> redone = after.against(snapshot());
            return redone.isEmpty() ? new RoundtripReport.Checked(v, m.name(), RoundtripReport.Outcome.OK, List.of(), null)
                    : new RoundtripReport.Checked(v, m.name(), RoundtripReport.Outcome.REAPPLY_DIFFERS, redone, null);
        } catch (ReversoException e) {
            return new RoundtripReport.Checked(v, m.name(), RoundtripReport.Outcome.FAILED, List.of(), e.getMessage());
        }
    }

    private SchemaSnapshot snapshot() {
        return withConnection(false, c -> SchemaSnapshot.read(c, List.of(config.schema(), ledger.schema().archiveSchema())));
    }

    /**
     * The checks before a run, for the pending migrations up to {@code to}: the server, sessions
     * whose locks the pending statements would wait for (pid, user, application, age, query), idle
     * transactions, connection headroom, replication lag and logical slots, leftovers (invalid
     * indexes, NOT VALID constraints), a dirty migration, missing downs, and the size of every
     * table the pending statements touch. Read only.
     */
    public PreflightReport preflight(Optional<Version> to) {
        Candidates candidates = candidates(to);
        return withConnection(false, c -> {
            Map<Version, HistoryRow> rows = ledger.schema().exists(c) ? rowsByVersion(c) : Map.of();
            List<PreflightReport.Item> notes = new ArrayList<>();
            rows.values().stream().filter(r -> r.state().dirty()).forEach(r -> notes.add(new PreflightReport.Item(
                    PreflightReport.Status.FAIL, "dirty migration", r.version() + "_" + r.name() + " is "
                    + r.state().dbValue().replace('_', ' ') + "; see reverso status")));
            List<Migration> pending = new ArrayList<>(candidates.pending(rows));
            pending.addAll(candidates.pendingOperations(rows));
            pending.sort(Comparator.comparing(Migration::version));
            notes.addAll(preflightNotes(pending));
            return new PreflightReport(new dev.reverso.verify.Preflight(c, config.schema())
                    .run(preflightSteps(c, pending, candidates.scripts()), notes));
        });
    }

    /** The statements of the pending migrations by file; an operation migration's start and complete as planned now. */
    private Map<String, List<Step>> preflightSteps(Connection c, List<Migration> pending, Map<Version, Script> scripts)
            throws SQLException {
        Map<String, List<Step>> steps = new java.util.LinkedHashMap<>();
        for (Migration m : pending) {
            steps.put(m.upFile(), m.kind() == Migration.Kind.OPS ? readOnlyExpandContract(c).plannedSteps(m,
                    List.of(dev.reverso.ops.Plan.Phase.START, dev.reverso.ops.Plan.Phase.COMPLETE), classifier)
                    : scripts.get(m.version()).steps());
        }
        return steps;
    }

    /** How many migrations are pending, and each SQL one without a down. */
    private static List<PreflightReport.Item> preflightNotes(List<Migration> pending) {
        List<PreflightReport.Item> notes = new ArrayList<>();
        notes.add(new PreflightReport.Item(PreflightReport.Status.PASS, "pending", pending.size() + " migration"
                + (pending.size() == 1 ? "" : "s") + " pending"));
        for (Migration m : pending) {
            if (m.kind() == Migration.Kind.SQL && !m.hasDown()) {
                notes.add(new PreflightReport.Item(PreflightReport.Status.WARN, "missing down", m.upFile()
                        + " has no down migration: it cannot be rolled back"));
            }
        }
        return notes;
    }

    /** The preflight a run makes on its own connection, holding the runner lock, with its outcome in the audit log. */
    private PreflightReport preflightBeforeRun(Connection c, String command, Map<String, List<Step>> steps,
                                               List<PreflightReport.Item> notes) throws SQLException {
        PreflightReport report = new PreflightReport(new dev.reverso.verify.Preflight(c, config.schema()).run(steps, notes));
        List<PreflightReport.Item> failed = report.items().stream().filter(i -> i.status() == PreflightReport.Status.FAIL).toList();
        long warned = report.items().stream().filter(i -> i.status() == PreflightReport.Status.WARN).count();
        String detail = "before " + command + ": " + report.items().size() + " checks, " + warned + " warning"
                + (warned == 1 ? "" : "s") + ", " + failed.size() + " failed" + (failed.isEmpty() ? "" : ": " + String.join("; ",
                failed.stream().map(i -> i.check() + ": " + i.detail()).toList()));
        ledger.audit().record(c, "preflight", null, failed.isEmpty() ? (warned == 0 ? "passed" : "warned") : "failed", detail);
        config.listener().on(new Event.PreflightDone(command, report));
        return report;
    }

    /**
     * Records the performance baseline before a run, under the runner lock: one statement. A
     * failure is a warning, never the run's: the baseline only serves {@code verify --perf}.
     */
    private void baselineBeforeRun(Connection c, String version, String command, int statements) {
        try {
            baselines.record(c, version, command, statements);
        } catch (SQLException e) {
            config.listener().on(new Event.Warning("no performance baseline recorded before " + command + " of " + version
                    + " (verify --perf will compare with an older one): " + e.getMessage()));
        }
    }

    /**
     * Compares the statistics now with the performance baseline taken before {@code since} was
     * applied (default: the newest baseline): statements whose mean time since then exceeds the
     * baseline's by more than the threshold (pg_stat_statements, when usable; else the report says
     * how to enable it), table and index sizes and dead tuples, and indexes created since that no
     * scan has used. Reads only.
     */
    public dev.reverso.perf.PerfReport verifyPerf(Optional<Version> since, dev.reverso.perf.PerfSettings settings) {
        return withConnection(c -> {
            Optional<dev.reverso.perf.Baseline> baseline;
            Map<Version, HistoryRow> rows = rowsByVersion(c);
            if (since.isPresent()) {
                HistoryRow row = rows.get(since.get());
                if (row == null) {
                    throw ReversoException.badInput("--since " + since.get() + ": no migration with that version was applied");
                }
                baseline = baselines.takenBefore(c, row.startedAt());
            } else {
                baseline = baselines.latest(c);
            }
            if (baseline.isEmpty()) {
                throw ReversoException.badInput("no performance baseline" + since.map(v -> " taken before " + v + " ran").orElse("")
                        + ": one is recorded before each up and complete that has something to run");
            }
            return new dev.reverso.perf.PerfComparison(settings).compare(baseline.get(),
                    dev.reverso.perf.CurrentStats.read(c, baselines),
                    dev.reverso.perf.CreatedIndexes.since(rows.values(), baseline.get().takenAt(), classifier));
        });
    }

    /** The verify a run makes after it changed something, with its outcome in the audit log. */
    private VerifyReport verifyAfter(String command) {
        // Not the replay against the migrations: it creates a database on the production server
        // and takes seconds per hundred migrations, after every run. reverso verify makes it.
        VerifyReport report = verify(false);
        List<VerifyReport.Problem> failures = report.failures();
        withConnection(c -> {
            ledger.audit().record(c, "verify", null, failures.isEmpty() ? "passed" : "failed", "after " + command + ": "
                    + (failures.isEmpty() ? "no problem" : failures.size() + " problem" + (failures.size() == 1 ? "" : "s") + ": "
                    + String.join("; ", failures.stream().map(VerifyReport.Problem::detail).toList()))
                    + (report.skipped().isEmpty() ? "" : "; skipped: " + String.join("; ", report.skipped())));
            return null;
        });
        return report;
    }

    /**
     * The checks the runbooks run after a migration: invalid indexes, NOT VALID constraints and
     * whether the data would pass them, sequences behind their column, the {@code *.verify.sql}
     * scripts of the applied migrations, and the schema against the applied migrations replayed on
     * a scratch database (created and dropped; skipped when the role may not create one). Reads
     * the target only.
     */
    public VerifyReport verify() {
        return verify(true);
    }

    private VerifyReport verify(boolean againstMigrations) {
        VerifyReport report = withConnection(c -> {
            Map<Version, HistoryRow> rows = rowsByVersion(c);
            Map<String, String> scripts = new TreeMap<>();
            try (var files = java.nio.file.Files.list(config.dir())) {
                for (java.nio.file.Path f : files.sorted().toList()) {
                    Optional<FileName> name = FileName.parse(f.getFileName().toString()).filter(n -> n.role() == FileName.Role.VERIFY);
                    if (name.isPresent() && rows.containsKey(name.get().version()) && rows.get(name.get().version()).state().inEffect()) {
                        scripts.put(f.getFileName().toString(), java.nio.file.Files.readString(f));
                    }
                }
            } catch (NoSuchFileException e) {
                // No folder: only the database's own checks.
            } catch (IOException | IllegalArgumentException e) {
                throw ReversoException.badInput("cannot read the verify scripts in " + config.dir() + ": " + e.getMessage());
            }
            return new dev.reverso.verify.Verifier(c, List.of(config.schema(), ledger.schema().archiveSchema())).run(scripts);
        });
        if (againstMigrations) {
            return againstMigrations(report);
        }
        List<String> skipped = new ArrayList<>(report.skipped());
        skipped.add("schema against the migrations: not replayed after a run (it needs a scratch database on the server);"
                + " reverso verify makes it");
        return new VerifyReport(report.checks(), report.problems(), skipped);
    }

    /**
     * Adds the comparison of the live schema with the applied migrations replayed, as recorded, on
     * a scratch database; skipped, with the reason, when nothing is applied or the role may not
     * create a database.
     */
    private VerifyReport againstMigrations(VerifyReport report) {
        String check = dev.reverso.verify.ExpectedSchema.CHECK;
        record Live(List<HistoryRow> rows, String cannotCreate, SchemaSnapshot snapshot, Map<String, String> versionSchemas) {
        }
        Live live = withConnection(c -> {
            List<HistoryRow> rows = rowsByVersion(c).values().stream().filter(r -> r.state().inEffect()).toList();
            String[] role = new String[2];
            try (java.sql.Statement st = c.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("select current_user, rolcreatedb or rolsuper from pg_roles where rolname = current_user")) {
                rs.next();
                role[0] = rs.getString(1);
                role[1] = rs.getString(2);
            }
            Map<String, String> schemas = new HashMap<>();
            for (HistoryRow r : rows) {
                ledger.expansions().find(c, r.version()).ifPresent(e -> schemas.put(r.version(), e.versionSchema()));
            }
            List<String> excluded = new ArrayList<>(ledger.expansions().versionSchemas(c));
            excluded.add(config.schema());
            return new Live(rows, "t".equals(role[1]) ? null : "role " + role[0] + " may not create the scratch database to"
                    + " replay the migrations in (it needs CREATEDB)", SchemaSnapshot.read(c, excluded), schemas);
        });
        if (live.rows().isEmpty()) {
            return report.with(check, List.of(), List.of(check + ": no migration is applied"));
        }
        if (live.cannotCreate() != null) {
            return report.with(check, List.of(), List.of(check + ": " + live.cannotCreate()));
        }
        return onScratchDatabase("reverso_expected_", scratch -> {
            Reverso there = Reverso.with(scratchConfig(scratch));
            try {
                there.replay(live.rows(), live.versionSchemas());
            } catch (ReversoException e) {
                return report.with(check, List.of(), List.of(check + ": replaying the applied migrations on a scratch database"
                        + " failed (" + e.getMessage() + ")"));
            }
            SchemaSnapshot expected = there.withConnection(false, c -> {
                List<String> excluded = new ArrayList<>(there.ledger.expansions().versionSchemas(c));
                excluded.add(config.schema());
                return SchemaSnapshot.read(c, excluded);
            });
            return report.with(check, dev.reverso.verify.ExpectedSchema.problems(live.snapshot(), expected), List.of());
        });
    }

    /**
     * Applies recorded migrations, in version order, from their stored up SQL (or operation
     * document), as they were applied: an operation migration started or also completed.
     *
     * @param versionSchemas the version schema each operation migration had, so its objects get the same names
     */
    private void replay(List<HistoryRow> rows, Map<String, String> versionSchemas) {
        asRunner((c, runner) -> {
            for (HistoryRow row : rows) {
                Version v = Version.parse(row.version());
                if (row.kind().equals("ops")) {
                    String schema = versionSchemas.get(row.version());
                    String stem = schema != null && schema.startsWith(config.targetSchema() + "_")
                            ? schema.substring(config.targetSchema().length() + 1) : row.version() + "_" + row.name();
                    ExpandContract ec = expandContract(c, runner);
                    ec.start(new Migration(v, row.name(), Migration.Kind.OPS, row.upSql(), null, stem + ".yaml", null,
                            row.checksum(), false));
                    if (row.state() == MigrationState.COMPLETED) {
                        ec.complete();
                    }
                    continue;
                }
                String file = row.version() + "_" + row.name() + ".up.sql";
                runner.apply(new Migration(v, row.name(), Migration.Kind.SQL, row.upSql(), row.downSql(), file, null,
                        row.checksum(), !row.transactional()), Script.parse(file, row.upSql(), !row.transactional(), classifier),
                        Optional.empty());
            }
            return null;
        });
    }

    /** The same settings against another database, reporting nothing. */
    private ReversoConfig scratchConfig(DatabaseUrl scratch) {
        return new ReversoConfig(scratch, config.dir(), config.schema(), config.retry(), config.statementTimeout(),
                config.runnerLockWait(), config.applicationName(), config.actor(), Event.Listener.none(), config.targetSchema(),
                config.backfill(), dev.reverso.monitor.MonitorSettings.defaults(), config.archive());
    }

    /** Creates a database on the target's server, hands it to the work, and drops it whatever happens. */
    private <T> T onScratchDatabase(String prefix, java.util.function.Function<DatabaseUrl, T> work) {
        String name = prefix + Long.toString(new Random().nextLong() & Long.MAX_VALUE, 36);
        withConnection(false, c -> {
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("create database " + dev.reverso.sql.Identifiers.quote(name));
            }
            return null;
        });
        try {
            return work.apply(database.url().withDatabase(name));
        } finally {
            withConnection(false, c -> {
                try (java.sql.Statement st = c.createStatement()) {
                    st.execute("drop database if exists " + dev.reverso.sql.Identifiers.quote(name) + " with (force)");
                }
                return null;
            });
        }
    }

    /** The audit trail, newest first. */
    public List<AuditEntry> history(int limit) {
        return withConnection(c -> ledger.audit().latest(c, limit));
    }

    /**
     * Writes one row to the audit trail, for what happened around a run that the run itself did
     * not record (a webhook that could not be reached).
     */
    public void audit(String action, String outcome, String detail) {
        withConnection(c -> {
            ledger.audit().record(c, action, null, outcome, detail);
            return null;
        });
    }

    /**
     * Shows or repairs the dirty migration. {@link RepairResult.Action#INSPECT} only looks; the others
     * change the ledger (and, for resume, run the remaining statements), each refusing when the live
     * catalog contradicts it.
     */
    public RepairResult repair(RepairResult.Action action) {
        return asRunner((c, runner) -> {
            Map<Version, HistoryRow> rows = rowsByVersion(c);
            Optional<HistoryRow> dirty = rows.values().stream().filter(r -> r.state().dirty()).findFirst();
            if (dirty.isEmpty()) {
                return RepairResult.clean();
            }
            Repair repair = new Repair(c, ledger, runner, new Effect(new Catalog(c)), classifier);
            return repair.run(dirty.get(), action);
        });
    }

    /** "3" or "3, 4, 5" or "3 ... 1002" for a long run. */
    private static String range(List<String> versions) {
        return versions.size() <= 5 ? String.join(", ", versions) : versions.get(0) + " ... " + versions.get(versions.size() - 1);
    }

    private void refuseIfDirty(Map<Version, HistoryRow> rows) {
        for (HistoryRow row : rows.values()) {
            if (row.state().dirty()) {
                throw new ReversoException(ReversoException.Kind.MIGRATION_FAILED, "the database is dirty: "
                        + row.version() + "_" + row.name() + " is " + row.state().dbValue().replace('_', ' ')
                        + (row.failedStep() == null ? "" : " at step " + row.failedStep())
                        + (row.kind().equals("ops") ? "; run reverso start to resume it, or reverso rollback"
                        : "; see reverso status, then reverso repair"));
            }
        }
    }

    private Map<Version, HistoryRow> rowsByVersion(Connection c) throws SQLException {
        Map<Version, HistoryRow> rows = new TreeMap<>();
        for (HistoryRow row : ledger.history().all(c)) {
            rows.put(Version.parse(row.version()), row);
        }
        return rows;
    }

    private MigrationSet readFolder(boolean required) {
        try {
            MigrationSet set = new MigrationFolder(config.dir()).read();
            if (required) {
                set.firstBlockingProblem().ifPresent(p -> {
                    throw ReversoException.badInput(config.dir().resolve(p.file()) + ": " + p.message());
                });
            }
            return set;
        } catch (NoSuchFileException e) {
            if (!required) {
                return new MigrationSet(config.dir().toString(), List.of(), List.of());
            }
            throw ReversoException.badInput("migrations folder " + config.dir() + " does not exist (give one with --dir)");
        } catch (IOException e) {
            throw ReversoException.badInput("cannot read migrations folder " + config.dir() + ": " + e.getMessage());
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    @FunctionalInterface
    private interface RunnerWork<T> {
        T run(Connection c, Runner runner) throws SQLException;
    }

    private <T> T withConnection(Work<T> work) {
        return withConnection(true, work);
    }

    private <T> T withConnection(boolean ensureSchema, Work<T> work) {
        try (Connection c = database.connect()) {
            if (ensureSchema) {
                ledger.schema().ensure(c);
            }
            return work.run(c);
        } catch (SQLException e) {
            throw fromSql(e);
        }
    }

    private <T> T asRunner(RunnerWork<T> work) {
        return withConnection(c -> {
            try {
                Optional<LockHolder> holder = ledger.lock().acquire(c, config.runnerLockWait());
                if (holder.isPresent()) {
                    throw new ReversoException(ReversoException.Kind.LOCKED, "another runner holds the lock on "
                            + config.schema() + ": " + holder.get().describe() + "; waited " + config.runnerLockWait().toSeconds() + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ReversoException(ReversoException.Kind.LOCKED, "interrupted while waiting for the runner lock");
            }
            try {
                Session session = new Session(c, config.statementTimeout());
                try (Monitor monitor = Monitor.start(database, c.unwrap(org.postgresql.PGConnection.class).getBackendPID(),
                        config.monitor(), config.listener(), ledger.audit())) {
                    session.guardedBy(monitor);
                    Event.Listener listener = monitor.tap(config.listener());
                    LockTimeoutRetry retry = new LockTimeoutRetry(session, config.retry(), listener, r -> auditRetry(c, r),
                            new Random());
                    try {
                        return work.run(c, new Runner(session, ledger, retry, listener, config.actor(), archiver()));
                    } catch (ReversoException | SQLException e) {
                        Optional<ReversoException> stopped = stoppedBy(monitor, e);
                        if (stopped.isPresent()) {
                            throw stopped.get();
                        }
                        throw e;
                    }
                }
            } finally {
                if (!c.isClosed()) {
                    if (!c.getAutoCommit()) {
                        c.rollback();
                        c.setAutoCommit(true);
                    }
                    ledger.lock().release(c);
                }
            }
        });
    }

    /** What the archive will keep of what a statement destroys, for plan; null when it destroys nothing. */
    /** The statements of a script before this step. */
    private static List<dev.reverso.sql.Statement> earlier(Script script, Step step) {
        return script.steps().stream().filter(s -> s.number() < step.number()).map(Step::statement).toList();
    }

    private String archiveNote(Connection c, Step s, List<dev.reverso.sql.Statement> earlier) throws SQLException {
        List<dev.reverso.archive.Destruction> destroyed = dev.reverso.archive.Destructions.of(s.statement(), earlier);
        if (destroyed.isEmpty()) {
            return null;
        }
        if (config.archive() == dev.reverso.archive.Archiving.OFF) {
            return "not archived (--no-archive): a rollback cannot bring this data back";
        }
        List<String> notes = new ArrayList<>();
        for (dev.reverso.archive.Destruction d : destroyed) {
            if (d instanceof dev.reverso.archive.Destruction.Unbounded u && u.table() != null
                    && config.archive() == dev.reverso.archive.Archiving.WHOLE_TABLE_WHEN_UNBOUNDED) {
                notes.add("archives the whole of " + u.table() + " first (" + u.reason() + ")");
            } else if (d instanceof dev.reverso.archive.Destruction.UpdatedRows
                    && dev.reverso.archive.TableShape.of(c, d.table()).map(t -> t.key().isEmpty()).orElse(false)) {
                notes.add("not archived: " + d.table() + " has no key, so the rows an UPDATE changes cannot be found again");
            } else {
                notes.add(d.archived());
            }
        }
        return String.join("; ", notes);
    }

    /** With archiving on, an archive schema owned by a role we are not a member of stops the run before anything runs. */
    private void refuseUntrustedArchive(Connection c) throws SQLException {
        if (config.archive() != dev.reverso.archive.Archiving.OFF) {
            Optional<String> untrusted = archives.untrustedSchema(c);
            if (untrusted.isPresent()) {
                throw ReversoException.badInput(untrusted.get());
            }
        }
    }

    private Optional<Archiver> archiver() {
        return config.archive() == dev.reverso.archive.Archiving.OFF ? Optional.empty()
                : Optional.of(new Archiver(archives, config.archive()));
    }

    /**
     * A failure caused by the monitor's cancel says so first: which threshold, who waited how long
     * on what; then what the run did about it (rolled back, or where it stopped).
     */
    private static Optional<ReversoException> stoppedBy(Monitor monitor, Exception e) {
        return monitor.verdict().map(v -> {
            String why = e instanceof SQLException s ? Database.serverMessage(s) : e.getMessage();
            String message = why.contains(v.describe()) ? why : v.describe() + "; " + why;
            return new ReversoException(ReversoException.Kind.MIGRATION_FAILED, message, e);
        });
    }

    /** Each lock-timeout retry gets an audit row, committed on its own even between tries of a transaction. */
    private void auditRetry(Connection c, Event.LockRetry r) throws SQLException {
        String blockers = r.blockers().isEmpty() ? "an unidentified session"
                : String.join("; ", r.blockers().stream().map(LockHolder::describe).toList());
        ledger.audit().record(c, "lock retry", r.version(), "retrying", "try " + r.attempt() + " hit lock_timeout "
                + r.lockTimeout().toMillis() + " ms on: " + r.summary() + "; blocked by " + blockers
                + "; next try in " + r.sleep().toMillis() + " ms");
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }

    private ReversoException fromSql(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = Database.serverMessage(e);
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
            return new ReversoException(ReversoException.Kind.UNREACHABLE, "lost the connection to "
                    + database.url().display() + ": " + message, e);
        }
        if (state.equals("42501")) {
            return new ReversoException(ReversoException.Kind.UNREACHABLE, "the server refused: " + message
                    + " (Reverso needs to create and write schema " + config.schema() + ")", e);
        }
        return new ReversoException(ReversoException.Kind.MIGRATION_FAILED, "database error: " + message, e);
    }
}
