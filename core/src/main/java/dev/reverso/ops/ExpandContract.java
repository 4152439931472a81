package dev.reverso.ops;

import dev.reverso.ReversoException;
import dev.reverso.PlanReport;
import dev.reverso.StatusReport;
import dev.reverso.sql.Classifier;
import dev.reverso.catalog.Catalog;
import dev.reverso.history.AuditLog;
import dev.reverso.history.ExpansionRow;
import dev.reverso.history.HistoryRow;
import dev.reverso.history.Ledger;
import dev.reverso.history.MigrationState;
import dev.reverso.source.Migration;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The life of an operation migration: {@code start} plans it against the live schema and runs the
 * expand phase, {@code complete} the contract phase, {@code rollback} undoes the expansion. The
 * history row goes running → started → completed (or rolled_back); a phase that fails leaves the
 * row failed and the expansion where it stopped, to be resumed or rolled back.
 */
public final class ExpandContract {

    private final Connection c;
    private final Ledger ledger;
    private final Expansion expansion;
    private final String target;
    private final String actor;

    public ExpandContract(Connection c, Ledger ledger, Expansion expansion, String targetSchema, String actor) {
        this.c = c;
        this.ledger = ledger;
        this.expansion = expansion;
        this.target = targetSchema;
        this.actor = actor;
    }

    /** What {@code start} did. */
    public record Started(String version, String versionSchema, boolean resumed, boolean alreadyStarted, long durationMs) {
    }

    /**
     * Plans (or resumes) and runs the expand phase.
     *
     * @throws ReversoException BAD_INPUT for a document the schema cannot take, before anything changes
     */
    public Started start(Migration m) throws SQLException {
        long t0 = System.nanoTime();
        Optional<ExpansionRow> active = ledger.expansions().active(c);
        String version = m.version().toString();
        if (active.isPresent()) {
            ExpansionRow a = active.get();
            if (!a.version().equals(version)) {
                throw ReversoException.badInput("operation migration " + a.version() + " is " + a.phase()
                        + "; complete it or roll it back before starting " + version);
            }
            switch (a.phase()) {
                case "started" -> {
                    return new Started(version, a.versionSchema(), false, true, 0);
                }
                case "start" -> {
                    ledger.history().transition(c, version, MigrationState.RUNNING, null, null, null,
                            new AuditLog.Note("start", version, "resumed", "from step " + (a.done() + 1)));
                    runStart(a);
                    return new Started(version, a.versionSchema(), true, false, ms(t0));
                }
                default -> throw ReversoException.badInput("operation migration " + version + " is in phase " + a.phase()
                        + "; run reverso " + (a.phase().equals("complete") ? "complete" : "rollback") + " again to finish it");
            }
        }
        Optional<HistoryRow> row = ledger.history().find(c, version);
        if (row.isPresent() && row.get().state().inEffect()) {
            throw ReversoException.badInput(m.label() + " is already " + row.get().state().dbValue());
        }
        OpsDocument doc = document(m);
        Plan plan;
        try {
            plan = plan(m, doc);
        } catch (DocumentError e) {
            throw ReversoException.badInput(m.upFile() + ": " + e.getMessage());
        }
        String versionSchema = plan.versionSchema();
        String previous = plan.previousSchema();
        c.setAutoCommit(false);
        try {
            ledger.history().write(c, new HistoryRow(version, m.name(), "ops", m.checksum(), MigrationState.RUNNING, false,
                    Instant.now(), null, null, actor, m.upSql(), null, null, null),
                    new AuditLog.Note("start", version, "started", plan.start().size() + " steps; new version in schema "
                            + versionSchema));
            ledger.expansions().begin(c, version, versionSchema, previous, Expansion.toJson(plan));
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
        runStart(ledger.expansions().find(c, version).orElseThrow());
        return new Started(version, versionSchema, false, false, ms(t0));
    }

    /** Validates the document against the live schema and plans it; changes nothing. */
    private Plan plan(Migration m, OpsDocument doc) throws SQLException, DocumentError {
        String version = m.version().toString();
        String versionSchema = versionSchemaOf(m);
        if (versionSchema.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 63) {
            throw ReversoException.badInput(m.upFile() + ": the version schema name " + versionSchema + " is longer than"
                    + " PostgreSQL's 63 bytes; shorten the file name");
        }
        Catalog catalog = new Catalog(c);
        if (catalog.schemaExists(versionSchema)) {
            throw ReversoException.badInput(m.upFile() + ": schema " + versionSchema + " already exists; drop it or rename"
                    + " the migration");
        }
        // plan and plan --runbook read a database Reverso may never have written to.
        String previous = !ledger.schema().exists(c) ? null : completedSchema().orElse(null);
        Planner planner = new Planner(c, PlannedSchema.read(c, target), ledger.schema().name(), version, versionSchema, previous,
                catalog.serverMajor());
        for (int i = 0; i < doc.operations().size(); i++) {
            doc.operations().get(i).plan(planner, doc.path(i));
        }
        return planner.finish();
    }

    private void runStart(ExpansionRow row) throws SQLException {
        long t0 = System.nanoTime();
        try {
            expansion.run(row, Plan.Phase.START);
        } catch (ReversoException e) {
            ledger.history().transition(c, row.version(), MigrationState.FAILED, ms(t0), e.getMessage(), null,
                    new AuditLog.Note("start", row.version(), "failed", e.getMessage()));
            throw e;
        }
        ledger.expansions().phase(c, row.version(), "started");
        ledger.history().transition(c, row.version(), MigrationState.STARTED, ms(t0), null, null,
                new AuditLog.Note("start", row.version(), "started", "old and new versions are live; new version in schema "
                        + row.versionSchema()));
    }

    /** Runs (or resumes) the contract phase of the started migration. */
    public ExpansionRow complete() throws SQLException {
        ExpansionRow a = ledger.expansions().active(c).orElseThrow(() ->
                ReversoException.badInput("no operation migration is started; nothing to complete"));
        if (!a.phase().equals("started") && !a.phase().equals("complete")) {
            throw ReversoException.badInput("operation migration " + a.version() + " is in phase " + a.phase()
                    + (a.phase().equals("start") ? "; run reverso start to finish starting it, or reverso rollback"
                    : "; run reverso rollback to finish rolling it back"));
        }
        if (a.phase().equals("started")) {
            ledger.expansions().phase(c, a.version(), "complete");
            a = ledger.expansions().find(c, a.version()).orElseThrow();
        }
        long t0 = System.nanoTime();
        try {
            expansion.run(a, Plan.Phase.COMPLETE);
        } catch (ReversoException e) {
            ledger.audit().record(c, "complete", a.version(), "failed", e.getMessage());
            throw e;
        }
        ledger.expansions().phase(c, a.version(), "completed");
        ledger.history().transition(c, a.version(), MigrationState.COMPLETED, ms(t0), null, null,
                new AuditLog.Note("complete", a.version(), "completed", "the live version is schema " + a.versionSchema()));
        return ledger.expansions().find(c, a.version()).orElseThrow();
    }

    /** Undoes the expansion of the started (or part-started) migration; the old version is left as it was. */
    public ExpansionRow rollback() throws SQLException {
        ExpansionRow a = ledger.expansions().active(c).orElseThrow(() ->
                ReversoException.badInput("no operation migration is started; nothing to roll back"
                        + " (a completed operation migration cannot be rolled back this way)"));
        if (a.phase().equals("complete")) {
            throw ReversoException.badInput("operation migration " + a.version() + " is part way through complete,"
                    + " past the point of no return; run reverso complete again to finish it");
        }
        if (!a.phase().equals("rollback")) {
            ledger.expansions().phase(c, a.version(), "rollback");
            a = ledger.expansions().find(c, a.version()).orElseThrow();
        }
        long t0 = System.nanoTime();
        ledger.history().transition(c, a.version(), MigrationState.ROLLING_BACK, null, null, null);
        try {
            expansion.run(a, Plan.Phase.ROLLBACK);
        } catch (ReversoException e) {
            ledger.history().transition(c, a.version(), MigrationState.ROLLING_BACK, ms(t0), e.getMessage(), null,
                    new AuditLog.Note("rollback", a.version(), "failed", e.getMessage()));
            throw e;
        }
        ledger.expansions().phase(c, a.version(), "rolled_back");
        ledger.history().transition(c, a.version(), MigrationState.ROLLED_BACK, ms(t0), null, null,
                new AuditLog.Note("rollback", a.version(), "rolled back", "schema " + a.versionSchema() + " and the expansion dropped"));
        return ledger.expansions().find(c, a.version()).orElseThrow();
    }

    /** The schema an application should put first on its search_path for the newest version. */
    public String latest() throws SQLException {
        Optional<ExpansionRow> active = ledger.expansions().active(c).filter(a -> a.phase().equals("started"));
        if (active.isPresent()) {
            return active.get().versionSchema();
        }
        return completedSchema().orElse(target);
    }

    /**
     * What start, complete and rollback would run for an operation migration, planned against the
     * live schema without changing anything, for {@code plan}.
     */
    public PlanReport.PlannedMigration preview(Migration m, Classifier classifier) throws SQLException {
        String version = m.version().toString();
        Plan plan;
        try {
            plan = plan(m, OpsDocument.parse(m.upFile(), m.upSql()));
        } catch (DocumentError e) {
            return new PlanReport.PlannedMigration(version, m.name(), false, List.of(), "failed", m.upFile() + ": " + e.getMessage());
        } catch (ReversoException e) {
            return new PlanReport.PlannedMigration(version, m.name(), false, List.of(), "failed", e.getMessage());
        }
        List<PlanReport.PlannedStatement> out = new java.util.ArrayList<>();
        for (Plan.Phase phase : Plan.Phase.values()) {
            List<Action> steps = plan.steps(phase);
            for (int i = 0; i < steps.size(); i++) {
                String label = phase.name().toLowerCase(java.util.Locale.ROOT) + " " + (i + 1) + ": ";
                if (steps.get(i) instanceof Action.Backfill b) {
                    out.add(new PlanReport.PlannedStatement(i + 1, "BACKFILL", "ROW EXCLUSIVE", true,
                            "nothing: rows are locked one batch at a time", List.of(b.table()), true,
                            label + b.what() + " (" + String.join(", ", b.set().keySet()) + ") in batches by " + String.join(", ", b.key()),
                            null));
                    continue;
                }
                for (dev.reverso.engine.Step s : stepsOf((Action.Sql) steps.get(i), classifier)) {
                    var cl = s.classification();
                    out.add(new PlanReport.PlannedStatement(i + 1, cl.command(), cl.lock().sqlName(), cl.lockCertain(),
                            cl.lock().blocks(), cl.targets(), cl.transactional(), label + s.summary(),
                            phase == Plan.Phase.COMPLETE ? archived(s) : null));
                }
            }
        }
        return new PlanReport.PlannedMigration(version, m.name(), false, out, "operation migration: planned against the live"
                + " schema, not executed; start runs " + plan.start().size() + " steps, complete " + plan.complete().size()
                + ", rollback " + plan.rollback().size() + "; new version in schema " + plan.versionSchema(), null);
    }

    /** What the archive keeps of what a complete step destroys, for plan. */
    private static String archived(dev.reverso.engine.Step s) {
        List<dev.reverso.archive.Destruction> destroyed = dev.reverso.archive.Destructions.of(s.statement());
        return destroyed.isEmpty() ? null : String.join("; ", destroyed.stream().map(dev.reverso.archive.Destruction::archived).toList());
    }

    /**
     * The SQL statements an operation migration's phases will run, for preflight: the phases of the
     * stored plan when the migration is part way, else a plan made now against the live schema
     * (empty when it cannot be planned yet, say on a table an earlier pending migration creates).
     */
    public List<dev.reverso.engine.Step> plannedSteps(Migration m, List<Plan.Phase> phases, Classifier classifier)
            throws SQLException {
        Optional<ExpansionRow> stored = ledger.schema().exists(c)
                ? ledger.expansions().active(c).filter(a -> a.version().equals(m.version().toString())) : Optional.empty();
        Plan plan;
        if (stored.isPresent()) {
            plan = Expansion.plan(stored.get());
        } else {
            try {
                plan = plan(m, OpsDocument.parse(m.upFile(), m.upSql()));
            } catch (DocumentError | ReversoException e) {
                return List.of();
            }
        }
        return sqlSteps(plan, phases, classifier);
    }

    /** The statements of the started migration's contract phase, from its stored plan, for preflight before complete. */
    public List<dev.reverso.engine.Step> completeSteps(Classifier classifier) throws SQLException {
        Optional<ExpansionRow> active = ledger.expansions().active(c);
        if (active.isEmpty()) {
            return List.of();
        }
        return sqlSteps(Expansion.plan(active.get()), List.of(Plan.Phase.COMPLETE), classifier);
    }

    /** The SQL actions' statements of the phases, in order; a backfill takes only row locks, one batch at a time. */
    private static List<dev.reverso.engine.Step> sqlSteps(Plan plan, List<Plan.Phase> phases, Classifier classifier) {
        List<dev.reverso.engine.Step> out = new java.util.ArrayList<>();
        for (Plan.Phase phase : phases) {
            for (Action a : plan.steps(phase)) {
                if (a instanceof Action.Sql sql) {
                    out.addAll(stepsOf(sql, classifier));
                }
            }
        }
        return out;
    }

    private static List<dev.reverso.engine.Step> stepsOf(Action.Sql sql, Classifier classifier) {
        return dev.reverso.engine.Script.parse(sql.what(), String.join(";\n", sql.statements()), true, classifier).steps();
    }

    /** The operation migration in progress, for status, with its current step and backfill progress. */
    public Optional<StatusReport.Expansion> progress() throws SQLException {
        Optional<ExpansionRow> active = ledger.expansions().active(c);
        if (active.isEmpty()) {
            return Optional.empty();
        }
        ExpansionRow a = active.get();
        Plan plan = Expansion.plan(a);
        if (a.phase().equals("started")) {
            return Optional.of(new StatusReport.Expansion(a.version(), a.phase(), a.versionSchema(), a.previousSchema(),
                    plan.start().size(), plan.start().size(), null, a.backfillRows(), -1));
        }
        List<Action> steps = plan.steps(Plan.Phase.valueOf(a.phase().toUpperCase(java.util.Locale.ROOT)));
        Action current = a.done() < steps.size() ? steps.get(a.done()) : null;
        long estimate = current instanceof Action.Backfill b ? Backfiller.estimate(c, b.table()) : -1;
        return Optional.of(new StatusReport.Expansion(a.version(), a.phase(), a.versionSchema(), a.previousSchema(), a.done(),
                steps.size(), current == null ? null : current.what(), a.backfillRows(), estimate));
    }

    /** The schemas applications can use now, newest first. */
    public List<String> liveVersions() throws SQLException {
        List<String> out = new java.util.ArrayList<>();
        Optional<ExpansionRow> active = ledger.expansions().active(c);
        if (active.isPresent() && !active.get().phase().equals("start") && new Catalog(c).schemaExists(active.get().versionSchema())) {
            out.add(active.get().versionSchema());
        }
        Optional<String> last = completedSchema();
        last.ifPresent(out::add);
        if (last.isEmpty()) {
            out.add(target);
        }
        return out;
    }

    /** Parses a migration's document, as a one-line error naming the file and JSON path. */
    public static OpsDocument document(Migration m) {
        try {
            return OpsDocument.parse(m.upFile(), m.upSql());
        } catch (DocumentError e) {
            throw ReversoException.badInput(m.upFile() + ": " + e.getMessage());
        }
    }

    /** The schema of the last completed operation migration, while it exists: the live version. */
    private Optional<String> completedSchema() throws SQLException {
        Optional<String> schema = ledger.expansions().lastCompleted(c).map(ExpansionRow::versionSchema);
        return schema.isPresent() && new Catalog(c).schemaExists(schema.get()) ? schema : Optional.empty();
    }

    /** The schema of views that presents a migration's new version: the target schema and the file's name. */
    public String versionSchemaOf(Migration m) {
        return target + "_" + stem(m.upFile());
    }

    private static String stem(String file) {
        String name = Path.of(file).getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
