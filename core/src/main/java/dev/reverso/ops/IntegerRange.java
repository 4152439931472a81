package dev.reverso.ops;

import dev.reverso.Event;
import dev.reverso.engine.LockTimeoutRetry;
import dev.reverso.engine.LockWaitExhausted;
import dev.reverso.engine.Step;
import dev.reverso.engine.StepFailure;
import dev.reverso.history.ExpansionTable;
import dev.reverso.sql.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A backfill walked by arithmetic ranges of a single integer key ({@code id > a AND id <= b}), the
 * way the runbooks write it by hand: finding the next N keys first costs a second visit to every
 * row, about a sixth of the backfill's time. The range widens over sparse keys and narrows over
 * dense ones so each batch touches about the batch size in rows. It stops at the greatest key the
 * table had when it began: rows inserted since were written by the application, through the
 * dual-write trigger.
 */
final class IntegerRange {

    private static final Set<String> INTEGER_TYPES = Set.of("smallint", "integer", "bigint");

    private final Connection c;
    private final LockTimeoutRetry retry;
    private final ExpansionTable state;
    private final Event.Listener listener;
    private final BackfillSettings settings;
    private final Between between;

    /** What runs between two batches: the user's delay and the monitor's pause. */
    @FunctionalInterface
    interface Between {
        void run() throws SQLException;
    }

    IntegerRange(Connection c, LockTimeoutRetry retry, ExpansionTable state, Event.Listener listener, BackfillSettings settings,
                 Between between) {
        this.between = between;
        this.c = c;
        this.retry = retry;
        this.state = state;
        this.listener = listener;
        this.settings = settings;
    }

    static boolean fits(Action.Backfill b) {
        return b.key().size() == 1 && INTEGER_TYPES.contains(b.keyTypes().get(0));
    }

    /**
     * Fills the table by key ranges.
     *
     * @return false, having done nothing, when the smallest key is Long.MIN_VALUE: there is no
     *     exclusive lower bound below it, and the caller walks the table by keys instead
     */
    boolean fill(String version, Action.Backfill b, Step step, List<String> from, long rowsBefore, long estimate)
            throws SQLException, StepFailure, LockWaitExhausted {
        String key = Identifiers.quote(b.key().get(0));
        long[] bounds = bounds(b.table(), key);
        if (bounds == null) {
            listener.on(new Event.BackfillProgress(version, b.table(), rowsBefore, estimate, 0, true));
            return true;
        }
        if (bounds[0] == Long.MIN_VALUE) {
            return false;
        }
        long last = from != null ? Long.parseLong(from.get(0)) : bounds[0] - 1;
        long max = bounds[1];
        String sql = "WITH reverso_done AS (UPDATE " + b.table() + " SET " + b.set().entrySet().stream()
                .map(e -> Identifiers.quote(e.getKey()) + " = (" + e.getValue() + ")").collect(Collectors.joining(", "))
                + " WHERE " + key + " > ? AND " + key + " <= ? RETURNING 1),"
                + " reverso_saved AS (" + state.backfilledSql("ARRAY[?::text]", "SELECT count(*) FROM reverso_done") + ")"
                + " SELECT count(*) FROM reverso_done";
        long span = settings.batchSize();
        long rows = rowsBefore;
        long thisRun = 0;
        long started = System.nanoTime();
        // One statement for the whole backfill: from its fifth run the driver keeps it prepared on the server.
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            while (last < max) {
                long hi = max - last <= span ? max : last + span;
                long n = batch(version, step, ps, last, hi);
                last = hi;
                rows += n;
                thisRun += n;
                double seconds = (System.nanoTime() - started) / 1e9;
                listener.on(new Event.BackfillProgress(version, b.table(), rows, estimate, seconds > 0 ? thisRun / seconds : 0,
                        last >= max));
                // Aim the next range at about batch-size rows: wider where keys are sparse, never more than 4x at once.
                span = n == 0 ? saturatedTimes(span, 4) : Math.max(1, Math.min(saturatedTimes(span, 4), span * settings.batchSize() / n));
                if (last < max) {
                    between.run();
                }
            }
        }
        return true;
    }

    /** The smallest and greatest key now, or null for an empty table. */
    private long[] bounds(String table, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select min(" + key + "), max(" + key + ") from " + table);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            long min = rs.getLong(1);
            return rs.wasNull() ? null : new long[] {min, rs.getLong(2)};
        }
    }

    private long batch(String version, Step step, PreparedStatement ps, long after, long upTo)
            throws SQLException, StepFailure, LockWaitExhausted {
        long[] n = new long[1];
        retry.run(version, true, timeout -> {
            try {
                ps.setLong(1, after);
                ps.setLong(2, upTo);
                ps.setString(3, Long.toString(upTo));
                ps.setString(4, version);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    n[0] = rs.getLong(1);
                }
            } catch (SQLException e) {
                throw new StepFailure(step, e);
            }
        });
        return n[0];
    }

    private static long saturatedTimes(long a, long k) {
        return a > Long.MAX_VALUE / k ? Long.MAX_VALUE : a * k;
    }
}
