package dev.reverso.engine;

import dev.reverso.ReversoException;
import dev.reverso.archive.ArchiveEntry;
import dev.reverso.archive.ArchiveIndex;
import dev.reverso.archive.DerivedDown;
import dev.reverso.archive.Restorer;
import dev.reverso.history.HistoryRow;
import dev.reverso.source.MigrationFolder;
import dev.reverso.sql.Classifier;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Where a rollback's SQL comes from: the down stored at apply time or, for a migration without
 * one, the down derived from its up and its archive; and the archive entries it puts back.
 */
public final class RollbackSource {

    /**
     * A migration's rollback, ready to run.
     *
     * @param script     the down to run (stored, or derived)
     * @param derived    the reversal of each up statement when the down is derived; empty when stored
     * @param entries    the archive entries not yet put back
     */
    public record Prepared(HistoryRow row, Script script, Optional<List<DerivedDown.Reversal>> derived,
                           List<ArchiveEntry> entries) {

        /** The restorer for the run, or null when nothing is archived. */
        public Restorer restorer(ArchiveIndex index, Connection c) {
            return entries.isEmpty() ? null : new Restorer(index, c, entries, derived.isPresent());
        }
    }

    private final ArchiveIndex index;
    private final Classifier classifier;

    public RollbackSource(ArchiveIndex index, Classifier classifier) {
        this.index = index;
        this.classifier = classifier;
    }

    /**
     * The rollback of one applied migration.
     *
     * @throws ReversoException BAD_INPUT when it has no down and none can be derived, naming the statement and why
     */
    public Prepared of(Connection c, HistoryRow row) throws SQLException {
        List<ArchiveEntry> entries = index.of(c, row.version()).stream().filter(e -> e.restoredAt() == null).toList();
        String label = row.version() + "_" + row.name();
        if (row.hasDown()) {
            Script script = Script.parse("stored down of " + label, row.downSql(),
                    MigrationFolder.declaresNoTransaction(row.downSql()), classifier);
            return new Prepared(row, script, Optional.empty(), entries);
        }
        List<DerivedDown.Reversal> reversals = reversals(row, entries);
        Optional<String> sql = DerivedDown.sql(reversals);
        if (sql.isEmpty()) {
            DerivedDown.Reversal.Impossible first = reversals.stream().filter(r -> r instanceof DerivedDown.Reversal.Impossible)
                    .map(r -> (DerivedDown.Reversal.Impossible) r).findFirst().orElseThrow();
            throw ReversoException.badInput("cannot roll back " + label + ": it has no down migration and Reverso cannot derive"
                    + " one: step " + first.step() + " (" + first.statement() + "): " + first.why() + "; nothing was rolled back");
        }
        Script script = Script.parse("derived down of " + label, sql.get(), false, classifier);
        return new Prepared(row, script, Optional.of(reversals), entries);
    }

    /** How each up statement of a migration would be reversed without a down, newest first. */
    public List<DerivedDown.Reversal> reversals(HistoryRow row, List<ArchiveEntry> entries) {
        Script up = Script.parse("stored up of " + row.version(), row.upSql(), MigrationFolder.declaresNoTransaction(row.upSql()),
                classifier);
        List<DerivedDown.UpStatement> statements = up.steps().stream().map(RollbackSource::upStatement).toList();
        return DerivedDown.of(statements, entries);
    }

    private static DerivedDown.UpStatement upStatement(Step s) {
        return new DerivedDown.UpStatement(s.number(), s.statement(), s.classification().command(), s.classification().change(),
                s.summary());
    }
}
