package dev.reverso.history;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * The session-level advisory lock that lets one runner write at a time. Session-level, not
 * transaction-level, because a runner spans many transactions (and autocommit steps); the
 * server releases it when the session ends, so a killed runner never leaves it behind.
 */
public final class RunnerLock {

    private static final long POLL_MILLIS = 100;

    private final long key;

    public RunnerLock(ReversoSchema schema) {
        this.key = keyFor(schema.name());
    }

    /** A stable 64-bit key per Reverso schema (FNV-1a), so two Reverso schemas in one database do not contend. */
    static long keyFor(String schema) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : ("reverso:" + schema).getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    /**
     * Takes the lock, waiting up to {@code wait} for another runner to let go.
     *
     * @return empty when taken; the holder when the wait ran out (empty holder details if it left meanwhile)
     */
    public Optional<LockHolder> acquire(Connection c, Duration wait) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            if (tryAcquire(c)) {
                return Optional.empty();
            }
            if (System.nanoTime() >= deadline) {
                Optional<LockHolder> holder = holder(c);
                if (holder.isEmpty() && tryAcquire(c)) {
                    return Optional.empty();
                }
                return Optional.of(holder.orElse(new LockHolder(0, "unknown", null, null, null, null, null, null)));
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private boolean tryAcquire(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_lock(?)")) {
            ps.setLong(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    public void release(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_advisory_unlock(?)")) {
            ps.setLong(1, key);
            ps.executeQuery().close();
        }
    }

    /** The session other than this one that holds the lock, if any. */
    public Optional<LockHolder> holder(Connection c) throws SQLException {
        // A bigint advisory key shows in pg_locks split into classid (high half) and objid (low half).
        String sql = "select a.pid, a.usename, a.application_name, host(a.client_addr), a.backend_start,"
                + " (extract(epoch from clock_timestamp() - a.backend_start) * 1000)::bigint, a.state, a.query"
                + " from pg_locks l join pg_stat_activity a on a.pid = l.pid"
                + " where l.locktype = 'advisory' and l.granted and l.objsubid = 1"
                + " and l.database = (select oid from pg_database where datname = current_database())"
                + " and l.classid::bigint = ? and l.objid::bigint = ? and l.pid <> pg_backend_pid()";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, key >>> 32);
            ps.setLong(2, key & 0xffffffffL);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new LockHolder(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        HistoryTable.instant(rs.getTimestamp(5)), java.time.Duration.ofMillis(rs.getLong(6)), rs.getString(7),
                        rs.getString(8)));
            }
        }
    }
}
