package dev.reverso.release;

import dev.reverso.archive.Archiving;
import dev.reverso.archive.DerivedDown;
import dev.reverso.archive.Destruction;
import dev.reverso.archive.Destructions;
import dev.reverso.catalog.TableSize;
import dev.reverso.engine.Script;
import dev.reverso.engine.Step;
import dev.reverso.lint.Finding;
import dev.reverso.lint.Severity;
import dev.reverso.source.Migration;
import dev.reverso.sql.LockMode;
import dev.reverso.sql.RelationLock;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A pending migration's risk level, from what Reverso knows before running it:
 * <ul>
 * <li>locks: a lock blocking writes (SHARE or stronger) on an existing table is MEDIUM, on a big one HIGH;</li>
 * <li>rewrites (the lint rules that find one): MEDIUM, of a big table HIGH, of a huge one CRITICAL;</li>
 * <li>lint: a warning is MEDIUM, an error HIGH (as judged by the live table's size);</li>
 * <li>data destroyed: HIGH when the archive keeps it, CRITICAL when it cannot (archiving off, or a
 * change Reverso cannot bound without --archive-table);</li>
 * <li>irreversibility: no down and none can be derived is CRITICAL.</li>
 * </ul>
 * A migration with none of these is LOW: additive only. Tables the migration itself creates do not
 * exist yet and cost nothing to lock.
 */
public final class RiskAssessment {

    /** The lint rules whose finding means the statement rewrites the table. */
    private static final Set<String> REWRITES = Set.of("add-column-default-rewrite", "add-column-generated-stored",
            "change-column-type-rewrite", "rewrite-via-table-option", "vacuum-full-or-cluster");

    private final RiskThresholds thresholds;
    private final Archiving archiving;
    private final Function<String, Optional<TableSize>> sizes;

    /**
     * @param sizes the live size of a relation as written in a statement; empty when it does not exist
     */
    public RiskAssessment(RiskThresholds thresholds, Archiving archiving, Function<String, Optional<TableSize>> sizes) {
        this.thresholds = thresholds;
        this.archiving = archiving;
        this.sizes = sizes;
    }

    /**
     * The risk of a SQL migration.
     *
     * @param findings the lint findings of its up file
     */
    public Risk of(Migration m, Script script, List<Finding> findings) {
        List<Risk.Reason> reasons = new ArrayList<>();
        for (Step s : script.steps()) {
            locks(s, reasons);
            destructions(s, reasons);
        }
        for (Finding f : findings) {
            if (REWRITES.contains(f.ruleId())) {
                reasons.add(rewrite(f));
            } else if (f.severity() != Severity.INFO) {
                reasons.add(new Risk.Reason(f.severity() == Severity.ERROR ? RiskLevel.HIGH : RiskLevel.MEDIUM,
                        "line " + f.line() + ": lint " + f.severity().label() + " " + f.ruleId() + ": " + f.message()));
            }
        }
        if (!m.hasDown()) {
            irreversible(script).ifPresent(reasons::add);
        }
        return risk(m, reasons, "additive only: creates objects and locks no existing table in a way that blocks writes");
    }

    /** An operation migration: expand/contract keeps both versions live and is reversible until complete. */
    public Risk ofOperation(Migration m) {
        return risk(m, List.of(), "operation migration: expand/contract, each step a short transaction");
    }

    private static Risk risk(Migration m, List<Risk.Reason> reasons, String whenNone) {
        List<Risk.Reason> sorted = reasons.stream().distinct()
                .sorted(Comparator.comparing(Risk.Reason::level).reversed()).toList();
        if (sorted.isEmpty()) {
            return new Risk(m.version().toString(), m.name(), RiskLevel.LOW, List.of(new Risk.Reason(RiskLevel.LOW, whenNone)));
        }
        return new Risk(m.version().toString(), m.name(), sorted.get(0).level(), sorted);
    }

    private void locks(Step s, List<Risk.Reason> reasons) {
        for (RelationLock lock : s.classification().locks()) {
            if (lock.mode().compareTo(LockMode.SHARE) < 0) {
                continue;
            }
            Optional<TableSize> size = sizes.apply(lock.relation());
            if (size.isEmpty()) {
                continue;
            }
            boolean big = thresholds.big(size.get().rows(), size.get().bytes());
            reasons.add(new Risk.Reason(big ? RiskLevel.HIGH : RiskLevel.MEDIUM, "line " + s.line() + ": "
                    + lock.mode().sqlName() + " on " + (big ? "big" : "small") + " table " + lock.relation() + " (" + describe(size.get())
                    + "), blocking " + lock.mode().blocks()));
        }
    }

    private void destructions(Step s, List<Risk.Reason> reasons) {
        for (Destruction d : Destructions.of(s.statement())) {
            String where = "line " + s.line() + ": ";
            if (archiving == Archiving.OFF) {
                reasons.add(new Risk.Reason(RiskLevel.CRITICAL, where + "destroys data with archiving off (--no-archive): "
                        + s.summary()));
            } else if (d instanceof Destruction.Unbounded u && archiving != Archiving.WHOLE_TABLE_WHEN_UNBOUNDED) {
                reasons.add(new Risk.Reason(RiskLevel.CRITICAL, where + "destroys data Reverso cannot archive (" + u.reason()
                        + "; --archive-table would keep the whole table)"));
            } else {
                reasons.add(new Risk.Reason(RiskLevel.HIGH, where + "destroys data; " + d.archived()));
            }
        }
    }

    private Risk.Reason rewrite(Finding f) {
        Optional<TableSize> size = f.relation() == null ? Optional.empty() : sizes.apply(f.relation());
        String what = "line " + f.line() + ": rewrites " + (f.relation() == null ? "a table" : f.relation());
        if (size.isEmpty()) {
            return new Risk.Reason(RiskLevel.MEDIUM, what + " (" + f.ruleId() + ")");
        }
        long rows = size.get().rows();
        long bytes = size.get().bytes();
        RiskLevel level = thresholds.huge(rows, bytes) ? RiskLevel.CRITICAL : thresholds.big(rows, bytes) ? RiskLevel.HIGH
                : RiskLevel.MEDIUM;
        return new Risk.Reason(level, what + " (" + describe(size.get()) + ") under ACCESS EXCLUSIVE (" + f.ruleId() + ")");
    }

    /** No down, and a statement whose inverse Reverso cannot derive (destructions are judged on their own above). */
    private Optional<Risk.Reason> irreversible(Script script) {
        List<DerivedDown.UpStatement> up = script.steps().stream().map(s -> new DerivedDown.UpStatement(s.number(), s.statement(),
                s.classification().command(), s.classification().change(), s.summary())).toList();
        return DerivedDown.of(up, List.of()).stream()
                .filter(r -> r instanceof DerivedDown.Reversal.Impossible)
                .map(r -> (DerivedDown.Reversal.Impossible) r)
                .filter(r -> archiving == Archiving.OFF || Destructions.of(script.steps().get(r.step() - 1).statement()).isEmpty())
                .reduce((newer, older) -> older)
                .map(r -> new Risk.Reason(RiskLevel.CRITICAL, "irreversible: no down migration and Reverso cannot derive one"
                        + " (step " + r.step() + ", " + r.statement() + ": " + r.why() + ")"));
    }

    private static String describe(TableSize size) {
        // reltuples is -1 until the table is first vacuumed or analyzed
        return (size.rows() < 0 ? "rows not counted yet" : size.rows() + " rows") + ", " + size.prettyBytes();
    }
}
