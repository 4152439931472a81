package dev.reverso.perf;

import java.time.Instant;
import java.util.List;

/**
 * What {@code verify --perf} found since a baseline.
 *
 * @param statementsNote why statements were not compared (no pg_stat_statements and how to enable
 *                       it, or a reset that makes the baseline unusable); null when they were
 * @param statements the statements compared (enough calls before and since), slowest change first
 * @param relations the tables and indexes whose size changed, or that are flagged as bloated
 * @param unusedIndexes indexes created since the baseline that no scan has used
 * @param notes other things the reader should know (a statistics reset, relations gone)
 */
public record PerfReport(long baselineId, String version, Instant takenAt, PerfSettings settings,
                         String statementsNote, List<StatementChange> statements, List<SizeChange> relations,
                         List<UnusedIndex> unusedIndexes, List<String> notes) {

    /**
     * One statement before and since the baseline.
     *
     * @param meanBeforeMs the baseline's mean (its total over its calls)
     * @param meanSinceMs the mean over the calls since: (total now - total then) / (calls now - calls then)
     * @param changePercent how much slower (negative: faster) the mean since is
     * @param slower whether that exceeds the threshold
     */
    public record StatementChange(long queryId, String query, long callsBefore, double meanBeforeMs, long callsSince,
                                  double meanSinceMs, double changePercent, boolean slower) {
    }

    /**
     * One table or index, then and now.
     *
     * @param growthPercent size change in percent (100 when it was empty then and is not now)
     * @param bloated a table whose dead tuples reached {@link PerfSettings#BLOAT_RATIO} of its tuples
     *                (and {@link PerfSettings#BLOAT_MIN_DEAD}), more than at the baseline
     */
    public record SizeChange(String kind, String schema, String name, String table, long bytesBefore, long bytesNow,
                             double growthPercent, double deadRatioBefore, double deadRatioNow, boolean bloated) {
    }

    /**
     * An index that did not exist at the baseline and has had no scan since (idx_scan = 0).
     *
     * @param createdBy the version of the SQL migration whose CREATE INDEX names it, null when none does
     */
    public record UnusedIndex(String schema, String name, String table, long bytes, String createdBy) {
    }

    public List<StatementChange> slower() {
        return statements.stream().filter(StatementChange::slower).toList();
    }

    public List<SizeChange> bloated() {
        return relations.stream().filter(SizeChange::bloated).toList();
    }

    /** Whether anything is flagged: a slower statement, a bloated table or an unused new index. */
    public boolean flagged() {
        return !slower().isEmpty() || !bloated().isEmpty() || !unusedIndexes.isEmpty();
    }
}
