package dev.reverso.perf;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The statistics as they are now, to compare with a {@link Baseline}.
 *
 * @param statements empty when pg_stat_statements is not usable
 * @param statementsReset when pg_stat_statements was last reset as a whole
 * @param relationsReset when this database's table and index statistics were last reset
 * @param enforcingIndexes schema.name of unique and exclusion indexes
 */
public record CurrentStats(StatementTracking tracking, List<StatementSample> statements, Optional<Instant> statementsReset,
                           List<RelationSample> relations, Optional<Instant> relationsReset, Set<String> enforcingIndexes) {

    /** Reads everything; only reads. */
    public static CurrentStats read(Connection c, Baselines baselines) throws SQLException {
        StatementTracking tracking = StatementTracking.read(c);
        List<StatementSample> statements = tracking.usable() ? baselines.currentStatements(c, tracking) : List.of();
        Optional<Instant> statementsReset = tracking.usable() ? Baselines.statementStatsReset(c, tracking) : Optional.empty();
        return new CurrentStats(tracking, statements, statementsReset, baselines.currentRelations(c),
                Baselines.relationStatsReset(c), Baselines.enforcingIndexes(c));
    }
}
