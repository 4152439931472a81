package dev.reverso.engine;

import dev.reverso.RollbackPlan;
import dev.reverso.archive.ArchiveEntry;
import dev.reverso.archive.ArchiveIndex;
import dev.reverso.archive.DerivedDown;
import dev.reverso.archive.Destruction;
import dev.reverso.archive.Destructions;
import dev.reverso.archive.TableWrites;
import dev.reverso.history.HistoryRow;
import dev.reverso.sql.Classifier;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Works out a migration's {@link RollbackPlan.Migration} without running anything: which steps the
 * down reverses, which the archive restores, which nothing can; what was written since to the
 * tables it touched; and what of that the down would destroy.
 */
public final class RollbackPlanner {

    private final ArchiveIndex index;
    private final TableWrites writes;
    private final Classifier classifier;

    public RollbackPlanner(ArchiveIndex index, TableWrites writes, Classifier classifier) {
        this.index = index;
        this.writes = writes;
        this.classifier = classifier;
    }

    public RollbackPlan.Migration plan(Connection c, HistoryRow row) throws SQLException {
        return plan(c, row, Set.of());
    }

    /**
     * The plan of one migration's rollback in a run that first rolls back {@code rolledBackFirst}
     * (versions): what those wrote to its tables is not written since.
     */
    public RollbackPlan.Migration plan(Connection c, HistoryRow row, Set<String> rolledBackFirst) throws SQLException {
        List<ArchiveEntry> entries = index.of(c, row.version()).stream().filter(e -> e.restoredAt() == null).toList();
        RollbackSource source = new RollbackSource(index, classifier);
        List<RollbackPlan.Step> steps = new ArrayList<>();
        List<String> losses = new ArrayList<>();
        boolean impossible = false;
        Optional<Script> down = Optional.empty();
        if (row.hasDown()) {
            down = Optional.of(source.of(c, row).script());
            for (Step s : down.get().steps()) {
                steps.add(new RollbackPlan.Step(RollbackPlan.Kind.REVERSIBLE, s.summary(), "the down migration's own SQL"));
            }
            impossible = unarchived(source, row, entries, steps);
        } else {
            for (DerivedDown.Reversal r : source.reversals(row, entries)) {
                steps.add(step(r));
                impossible |= r instanceof DerivedDown.Reversal.Impossible;
            }
            if (!impossible) {
                down = Optional.of(source.of(c, row).script());
            }
        }
        boolean restores = false;
        for (ArchiveEntry e : row.hasDown() ? entries : List.<ArchiveEntry>of()) {
            if (e.kind() == ArchiveEntry.Kind.NOT_ARCHIVED) {
                continue;
            }
            if (e.kind() == ArchiveEntry.Kind.TABLE && !nothingDropped(e) && down.isPresent() && !creates(down.get(), e)) {
                // The migration's own down decides what exists after it; Reverso does not add a table it leaves out.
                steps.add(new RollbackPlan.Step(RollbackPlan.Kind.REVERSIBLE, e.detail().statement(), "the down does not create "
                        + e.source() + " again: it stays dropped, its rows stay in the archive"));
                continue;
            }
            restores |= !nothingDropped(e);
            steps.add(new RollbackPlan.Step(RollbackPlan.Kind.RESTORED, e.detail().statement(), restores(e)));
        }
        List<TableWrites.Since> since = writes.since(c, row.version(), rolledBackFirst);
        List<RollbackPlan.Writes> written = since.stream()
                .map(w -> new RollbackPlan.Writes(w.schema() + "." + w.table(), w.since(), w.exists())).toList();
        if (down.isPresent()) {
            losses.addAll(losses(down.get(), since));
        }
        RollbackPlan.Verdict verdict = impossible ? RollbackPlan.Verdict.IMPOSSIBLE
                : !losses.isEmpty() ? RollbackPlan.Verdict.DATA_LOSS
                : (row.hasDown() ? restores : entries.stream().anyMatch(e -> e.kind() != ArchiveEntry.Kind.NOT_ARCHIVED
                && !nothingDropped(e))) ? RollbackPlan.Verdict.SAFE_WITH_RESTORE
                : RollbackPlan.Verdict.SAFE;
        Instant at = row.finishedAt() != null ? row.finishedAt() : row.startedAt();
        return new RollbackPlan.Migration(row.version(), row.name(), at, at == null ? Duration.ZERO : Duration.between(at, Instant.now()),
                !row.hasDown(), steps, written, losses, verdict);
    }

    /** With a stored down: the up steps that destroyed data the archive does not have. */
    private boolean unarchived(RollbackSource source, HistoryRow row, List<ArchiveEntry> entries, List<RollbackPlan.Step> steps) {
        boolean any = false;
        for (DerivedDown.Reversal r : source.reversals(row, entries)) {
            if (r instanceof DerivedDown.Reversal.Impossible i && i.why().contains("archive")) {
                steps.add(new RollbackPlan.Step(RollbackPlan.Kind.IRREVERSIBLE, i.statement(), i.why()));
                any = true;
            }
        }
        return any;
    }

    private static RollbackPlan.Step step(DerivedDown.Reversal r) {
        if (r instanceof DerivedDown.Reversal.Derived d) {
            return new RollbackPlan.Step(RollbackPlan.Kind.REVERSIBLE, d.statement(), "derived: " + String.join("; ", d.sql()));
        }
        if (r instanceof DerivedDown.Reversal.Restored rs) {
            return new RollbackPlan.Step(RollbackPlan.Kind.RESTORED, rs.statement(), "restored from the archive: " + rs.what()
                    + (rs.sql().isEmpty() ? "" : "; derived: " + String.join("; ", rs.sql())));
        }
        if (r instanceof DerivedDown.Reversal.Impossible i) {
            return new RollbackPlan.Step(RollbackPlan.Kind.IRREVERSIBLE, i.statement(), i.why());
        }
        return new RollbackPlan.Step(RollbackPlan.Kind.REVERSIBLE, r.statement(), "nothing to undo");
    }

    private static String restores(ArchiveEntry e) {
        return switch (e.kind()) {
            case COLUMN -> e.rows() + " values of " + e.source() + " come back from the archive";
            case TYPE -> e.archiveTable() == null ? e.source() + " changes type back (" + e.detail().note() + ")"
                    : e.rows() + " values of " + e.source() + " as they were before the type change";
            case TABLE -> nothingDropped(e) ? e.detail().note()
                    : "table " + e.source() + " (about " + e.rows() + " rows) comes back from the archive";
            case ROWS -> e.rows() + " rows of " + e.source() + " removed by " + e.detail().note() + " come back";
            case VALUES -> e.rows() + " rows of " + e.source() + " get back their " + String.join(", ", e.detail().columns())
                    + " from before the UPDATE";
            case NOT_ARCHIVED -> e.detail().note();
        };
    }

    /** Whether a statement of the down creates the table of this entry again (by its name). */
    private static boolean creates(Script down, ArchiveEntry e) {
        for (Step s : down.steps()) {
            var change = s.classification().change();
            if (change.isPresent() && change.get().kind() == dev.reverso.sql.ObjectKind.TABLE
                    && change.get().action() == dev.reverso.sql.ObjectChange.Action.CREATE
                    && change.get().name().equals(e.sourceTable())
                    && (change.get().schema() == null || change.get().schema().equals(e.sourceSchema()))) {
                return true;
            }
        }
        return false;
    }

    /** The entry of a DROP TABLE IF EXISTS whose table was not there: nothing to bring back. */
    private static boolean nothingDropped(ArchiveEntry e) {
        return e.kind() == ArchiveEntry.Kind.TABLE && e.archiveTable() == null;
    }

    /** What the down destroys in tables written to since the migration was applied. */
    private static List<String> losses(Script down, List<TableWrites.Since> since) {
        List<String> out = new ArrayList<>();
        for (Step s : down.steps()) {
            for (Destruction d : Destructions.of(s.statement())) {
                for (TableWrites.Since w : since) {
                    if (w.since() <= 0 || !sameTable(d, w)) {
                        continue;
                    }
                    String what = d instanceof Destruction.DroppedColumn dc ? "drops column " + w.table() + "." + dc.column()
                            + ": values written into it would be lost"
                            : d instanceof Destruction.DroppedTable ? "drops table " + w.schema() + "." + w.table()
                            + ": rows written to it would be lost"
                            : d instanceof Destruction.ChangedType ct ? "changes the type of " + w.table() + "." + ct.column()
                            + ": values written since may not fit the old type"
                            : "deletes or changes rows of " + w.schema() + "." + w.table() + ", which may include rows written since";
                    out.add(w.since() + " rows written to " + w.schema() + "." + w.table() + " since it was applied; the rollback "
                            + what + " (" + s.summary() + ")");
                }
            }
        }
        return out;
    }

    private static boolean sameTable(Destruction d, TableWrites.Since w) {
        return d.table() != null && d.table().name().equals(w.table())
                && (d.table().schema() == null || d.table().schema().equals(w.schema()));
    }
}
