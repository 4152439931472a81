package dev.reverso.ops;

import dev.reverso.Event;
import dev.reverso.engine.LockTimeoutRetry;
import dev.reverso.engine.LockWaitExhausted;
import dev.reverso.engine.RunGuard;
import dev.reverso.engine.Step;
import dev.reverso.engine.StepFailure;
import dev.reverso.history.ExpansionTable;
import dev.reverso.sql.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs a {@link Action.Backfill}: batches of rows walked by key, each batch one short transaction
 * that updates its rows and saves the last key it reached, so a killed run resumes after the last
 * committed batch. Each batch is one autocommit statement that also saves its position, so a
 * batch costs one round trip. Batches skip the dual-write triggers (they compute the same
 * expressions) and commit without waiting for the WAL flush: a batch lost in a crash is lost with
 * its saved position, and is simply done again.
 */
final class Backfiller {

    private final Connection c;
    private final LockTimeoutRetry retry;
    private final ExpansionTable state;
    private final Event.Listener listener;
    private final BackfillSettings settings;
    private final RunGuard guard;

    Backfiller(Connection c, LockTimeoutRetry retry, ExpansionTable state, Event.Listener listener, BackfillSettings settings,
               RunGuard guard) {
        this.c = c;
        this.retry = retry;
        this.state = state;
        this.listener = listener;
        this.settings = settings;
        this.guard = guard;
    }

    /**
     * @param from the last key an interrupted run reached, or null to start at the beginning
     * @param rowsBefore rows that run filled
     */
    void run(String version, Action.Backfill b, Step step, List<String> from, long rowsBefore)
            throws SQLException, StepFailure, LockWaitExhausted {
        String sql = batchSql(b, settings.batchSize(), state);
        // Session level for the whole backfill, so that each batch is one autocommit statement.
        setting(DualWrite.SKIP_SETTING, "on");
        setting("synchronous_commit", "off");
        boolean replica = replicaRole();
        try {
            boolean byRange = IntegerRange.fits(b) && new IntegerRange(c, retry, state, listener, settings, () -> between(b.table()))
                    .fill(version, b, step, from, rowsBefore, estimate(c, b.table()));
            if (!byRange) {
                fill(version, b, step, sql, from, rowsBefore);
            }
        } finally {
            setting(DualWrite.SKIP_SETTING, "off");
            setting("synchronous_commit", null);
            if (replica) {
                setting("session_replication_role", null);
            }
        }
    }

    /**
     * Where the role may (a superuser, or one granted SET on it), the backfill session runs as a
     * replica: row triggers do not fire at all, where the WHEN clause still costs a trigger call
     * per row. The backfill sets only the new columns, which no user trigger knows; a foreign key
     * on them is NOT VALID until complete validates it, so skipping its check here loses nothing.
     */
    private boolean replicaRole() {
        try {
            setting("session_replication_role", "replica");
            return true;
        } catch (SQLException notPermitted) {
            return false;
        }
    }

    private void setting(String name, String value) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(value == null ? "reset " + name : "select set_config('" + name + "', '" + value + "', false)");
        }
    }

    private void fill(String version, Action.Backfill b, Step step, String sql, List<String> from, long rowsBefore)
            throws SQLException, StepFailure, LockWaitExhausted {
        long estimate = estimate(c, b.table());
        List<String> last = from;
        long rows = rowsBefore;
        long started = System.nanoTime();
        long thisRun = 0;
        while (true) {
            Batch batch = batch(version, step, sql, b, last);
            last = batch.lastKey();
            rows += batch.rows();
            thisRun += batch.rows();
            double seconds = (System.nanoTime() - started) / 1e9;
            boolean done = batch.rows() < settings.batchSize();
            listener.on(new Event.BackfillProgress(version, b.table(), rows, estimate, seconds > 0 ? thisRun / seconds : 0, done));
            if (done) {
                return;
            }
            between(b.table());
        }
    }

    private record Batch(long rows, List<String> lastKey) {
    }

    private Batch batch(String version, Step step, String sql, Action.Backfill b, List<String> after)
            throws SQLException, StepFailure, LockWaitExhausted {
        Batch[] result = new Batch[1];
        retry.run(version, true, timeout -> {
            try (PreparedStatement ps = c.prepareStatement(after == null ? sql.replace("/*after*/", "") : sql.replace(
                    "/*after*/", "WHERE " + row(b.key()) + " > " + params(b.keyTypes())))) {
                int i = 1;
                if (after != null) {
                    for (String k : after) {
                        ps.setString(i++, k);
                    }
                }
                ps.setString(i, version);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        result[0] = new Batch(0, after);
                        return;
                    }
                    List<String> key = new ArrayList<>();
                    for (int k = 1; k <= b.key().size(); k++) {
                        key.add(rs.getString(k));
                    }
                    result[0] = new Batch(rs.getLong(b.key().size() + 1), key);
                }
            } catch (SQLException e) {
                throw new StepFailure(step, e);
            }
        });
        return result[0];
    }

    /**
     * One batch: the next keys in order, the rows from the first to the last of them updated by
     * key range, and the last key with the number of keys walked. That number, not the rows
     * updated, says whether the table is done: a row deleted while the batch waited for its
     * lock is not updated, and a short count used to end the whole backfill there. The range is
     * the same rows as the keys (one snapshot), read by one index range scan rather than one
     * index probe per key, which made each batch about 1.5x slower than a hand-written
     * key-range UPDATE (docs/BENCHMARKS.md).
     * The UPDATE has no FROM, which keeps the expressions' column names unambiguous.
     */
    /**
     * The batch size is written into the SQL, not bound: with a bound LIMIT the server's generic plan
     * (used from the sixth execution) guesses a tenth of the table and hashes it whole for every batch.
     */
    static String batchSql(Action.Backfill b, int batchSize, ExpansionTable state) {
        String key = row(b.key());
        String keyList = b.key().stream().map(Identifiers::quote).collect(Collectors.joining(", "));
        String set = b.set().entrySet().stream().map(e -> Identifiers.quote(e.getKey()) + " = (" + e.getValue() + ")")
                .collect(Collectors.joining(", "));
        // Qualified: a bare name in ORDER BY would be the output column, the key cast to text, and
        // the "last" key would be the greatest as text (999 after 1000), so rows were done twice.
        String texts = b.key().stream().map(k -> "reverso_keys." + Identifiers.quote(k) + "::text").collect(Collectors.joining(", "));
        String desc = b.key().stream().map(k -> "reverso_keys." + Identifiers.quote(k) + " DESC").collect(Collectors.joining(", "));
        String descBare = b.key().stream().map(k -> Identifiers.quote(k) + " DESC").collect(Collectors.joining(", "));
        return "WITH reverso_keys AS (SELECT " + keyList + " FROM " + b.table() + " /*after*/ ORDER BY " + keyList + " LIMIT " + batchSize + "),"
                + " reverso_done AS (UPDATE " + b.table() + " SET " + set
                + " WHERE " + key + " >= (SELECT " + keyList + " FROM reverso_keys ORDER BY " + keyList + " LIMIT 1)"
                + " AND " + key + " <= (SELECT " + keyList + " FROM reverso_keys ORDER BY " + descBare + " LIMIT 1) RETURNING 1)"
                + ", reverso_saved AS (" + state.backfilledSql("SELECT ARRAY[" + texts + "] FROM reverso_keys ORDER BY " + desc
                + " LIMIT 1", "SELECT count(*) FROM reverso_keys") + " AND EXISTS (SELECT 1 FROM reverso_keys))"
                + " SELECT " + texts + ", (SELECT count(*) FROM reverso_keys) FROM reverso_keys ORDER BY " + desc + " LIMIT 1";
    }

    /** A key as a row value, so that a composite key compares in its index order. */
    private static String row(List<String> columns) {
        return "(" + columns.stream().map(Identifiers::quote).collect(Collectors.joining(", ")) + ")";
    }

    /** The saved position, read back as the key's types. */
    private static String params(List<String> types) {
        return "(" + types.stream().map(t -> "?::" + t).collect(Collectors.joining(", ")) + ")";
    }

    /** A table's row estimate (pg_class.reltuples) by its quoted, qualified name; -1 when unknown. */
    static long estimate(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select reltuples::bigint from pg_class where oid = to_regclass(?)")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    /**
     * Between two batches, where the backfill holds no lock: the pause the user asked for, and the
     * monitor's, which holds the next batch back while a replica lags (--max-replication-lag).
     */
    void between(String table) throws SQLException {
        guard.pace("the next backfill batch of " + table);
        Duration d = settings.delay();
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted between backfill batches", e);
        }
    }
}
