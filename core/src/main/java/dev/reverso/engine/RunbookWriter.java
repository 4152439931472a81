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
            String lock = step.classification().lock() == LockMode.NONE ? "none on existing tables"
                    : step.classification().lock().sqlName() + main.map(m -> " on " + m.relation()).orElse("");
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
