package dev.reverso.engine;

import dev.reverso.Runbook;
import dev.reverso.catalog.Catalog;
import dev.reverso.catalog.TableSize;
import dev.reverso.lint.Finding;
import dev.reverso.sql.LockMode;
import dev.reverso.sql.RelationLock;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Writes the runbook of one pending migration from what Reverso knows: the classified statements,
 * the lint findings, the live table sizes and Reverso's own retry and recovery behaviour.
 */
public final class RunbookWriter {

    private final Catalog catalog;
    private final RetryPolicy retry;

    public RunbookWriter(Catalog catalog, RetryPolicy retry) {
        this.catalog = catalog;
        this.retry = retry;
    }

    public Runbook.Entry write(String version, String name, Script script, boolean hasDown, List<Finding> findings)
            throws SQLException {
        List<Runbook.RunbookStep> steps = new ArrayList<>();
        LockMode strongest = LockMode.NONE;
        String strongestOn = null;
        for (Step step : script.steps()) {
            Optional<RelationLock> main = step.classification().locks().stream().max(java.util.Comparator.comparing(RelationLock::mode));
            Optional<TableSize> size = main.isPresent() ? catalog.size(main.get().relation()) : Optional.empty();
            List<Finding> mine = findings.stream().filter(f -> f.line() == step.line()).toList();
            boolean heavy = scansTable(step) || mine.stream().anyMatch(f -> dev.reverso.lint.LiveJudgement.sizeBound(f.ruleId()));
            String lock = step.lockText();
            steps.add(new Runbook.RunbookStep(step.number(), step.line(), step.summary(), lock, step.classification().lock().blocks(),
                    duration(size, heavy), mine.stream().map(f -> f.severity().label() + " " + f.ruleId() + ": " + f.rewrite()).toList(),
                    ifItFails(step, script)));
            if (step.classification().lock().compareTo(strongest) > 0) {
                strongest = step.classification().lock();
                strongestOn = main.map(RelationLock::relation).orElse(null);
            }
        }
        return new Runbook.Entry(version, name, !script.autocommit(), steps, tolerate(strongest, strongestOn, script),
                hasDown ? "reverso down --to <previous version> (runs the down SQL stored at apply time"
                        + (script.autocommit() ? ")" : ", in one transaction)")
                        : "no down migration: Reverso cannot roll it back; write a down file before applying");
    }

    /**
     * The runbook of an operation migration, from its plan: each phase's steps, what the two live
     * versions mean for the application, and how each phase is resumed or undone.
     */
    public Runbook.Entry writeOperation(dev.reverso.PlanReport.PlannedMigration plan, String versionSchema, int batchSize)
            throws SQLException {
        List<Runbook.RunbookStep> steps = new ArrayList<>();
        int n = 0;
        for (dev.reverso.PlanReport.PlannedStatement st : plan.statements()) {
            String phase = st.sql().substring(0, st.sql().indexOf(' '));
            Optional<TableSize> size = st.targets().isEmpty() ? Optional.empty() : catalog.size(st.targets().get(0));
            String duration;
            if (st.command().equals("BACKFILL")) {
                duration = size.map(t -> String.format(Locale.ROOT, "~%,d rows in batches of %,d, each holding only its"
                        + " rows' locks for milliseconds (%s)", Math.max(0, t.rows()), batchSize, t.prettyBytes()))
                        .orElse("batches of " + batchSize + " rows");
            } else if (st.command().contains("INDEX") && st.command().contains("CONCURRENTLY") || st.sql().contains("VALIDATE CONSTRAINT")) {
                duration = size.map(t -> t.scanEstimate() + ", reads and writes continue").orElse("one pass over the table;"
                        + " reads and writes continue");
            } else {
                duration = "brief: catalog change only, under lock_timeout " + retry.initialLockTimeout().toMillis()
                        + " ms with retry";
            }
            String ifItFails = switch (phase) {
                case "start" -> "start stops here with the steps before it done; run reverso start again to resume"
                        + " (a backfill continues from its last committed batch), or reverso rollback to undo it all";
                case "complete" -> "complete stops here; run reverso complete again to resume from this step";
                default -> "rollback stops here; run reverso rollback again once the cause is fixed (every step is IF EXISTS)";
            };
            steps.add(new Runbook.RunbookStep(++n, st.line(), st.sql(), st.lock() + (st.targets().isEmpty() ? ""
                    : " on " + String.join(", ", st.targets())), st.blocks(), duration, List.of(), ifItFails));
        }
        return new Runbook.Entry(plan.version(), plan.name(), false, steps,
                "between start and complete two versions are live: the old one as before, the new one through schema "
                        + versionSchema + " (SET search_path TO " + versionSchema + "); writes through either reach both"
                        + " (dual-write triggers). Each DDL step waits at most " + retry.maxLockTimeout().toMillis()
                        + " ms per try for its lock",
                "while started: reverso rollback drops everything start added, in well under a second, and leaves the old"
                        + " version as it was; once complete has begun there is no rollback (write a new migration)");
    }

    /** Statements that read the whole table even when done the safe way: index builds, validation, data changes. */
    private static boolean scansTable(Step step) {
        String command = step.classification().command();
        String sql = step.sql().toLowerCase(Locale.ROOT);
        return command.contains("INDEX") && !command.startsWith("DROP") || command.startsWith("REINDEX")
                || sql.contains("validate constraint") || command.equals("UPDATE") || command.equals("DELETE")
                || command.equals("INSERT") && sql.contains("select") || command.startsWith("VACUUM")
                || command.startsWith("CLUSTER") || command.startsWith("REFRESH");
    }

    private static String duration(Optional<TableSize> size, boolean heavy) {
        if (size.isEmpty()) {
            return "brief (no live table to size)";
        }
        TableSize s = size.get();
        if (!heavy) {
            return "brief: catalog change only (" + s.relation() + ": " + s.prettyBytes() + ")";
        }
        return s.scanEstimate() + " (" + s.relation() + ": " + s.prettyBytes() + ", ~" + String.format(Locale.ROOT, "%,d", Math.max(0, s.rows()))
                + " rows, at ~100 MB/s)";
    }

    private String tolerate(LockMode strongest, String on, Script script) {
        if (strongest.compareTo(LockMode.SHARE_UPDATE_EXCLUSIVE) <= 0) {
            return "reads and writes continue throughout; other DDL on the same tables waits";
        }
        Duration first = retry.initialLockTimeout();
        return strongest.blocks() + " on " + (on == null ? "the tables it touches" : on) + " are blocked while each try waits for"
                + " its lock (" + first.toMillis() + " ms at first, up to " + retry.maxLockTimeout().toMillis() + " ms, retried for up to "
                + retry.maxTotalWait().toSeconds() + " s) and then for as long as the statement holds it"
                + (script.autocommit() ? "" : ", until the migration's transaction commits");
    }

    private static String ifItFails(Step step, Script script) {
        if (!script.autocommit()) {
            return "the whole migration rolls back and nothing changes; fix the cause and run reverso up again"
                    + " (a lock that could not be had within the wait is reported with the session holding it)";
        }
        String base = "steps before it stay done and the migration is marked failed; run reverso repair to see the journal,"
                + " then --resume after fixing the cause, or undo the done steps and --mark-rolled-back";
        if (step.classification().command().equals("CREATE INDEX CONCURRENTLY")) {
            return base + "; the invalid index a failed build leaves is dropped by Reverso, or by repair";
        }
        return step.number() == 1 ? "nothing was done; fix the cause and run reverso up again" : base;
    }
}
