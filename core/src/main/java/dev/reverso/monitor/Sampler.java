package dev.reverso.monitor;

import dev.reverso.Event;
import dev.reverso.history.LockHolder;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Takes one {@link Sample}: a handful of small catalog queries on the monitor's own connection,
 * each under its short statement_timeout. Keeps the primary's WAL position of recent samples to
 * estimate a replica's lag when the replica's own report is stale.
 */
final class Sampler {

    /** How far back the WAL positions are kept: lag beyond it is reported as at least this. */
    private static final Duration HISTORY = Duration.ofHours(1);

    private final Connection c;
    private final int pid;
    private final String waitStart;
    private final Deque<Position> positions = new ArrayDeque<>();

    private record Position(long nanos, long lsn) {
    }

    Sampler(Connection c, int migrationPid) throws SQLException {
        this.c = c;
        this.pid = migrationPid;
        // pg_locks.waitstart (14+) is when the wait for the lock began; before it, only when the query began.
        this.waitStart = c.getMetaData().getDatabaseMajorVersion() >= 14
                ? "(select min(l.waitstart) from pg_locks l where l.pid = a.pid and not l.granted), " : "";
    }

    Sample sample(Duration elapsed, Event.BackfillProgress backfill) throws SQLException {
        long start = System.nanoTime();
        Sample.Activity migration = activity();
        List<LockHolder> waitsOn = migration != null && "Lock".equals(migration.waitEvent() == null ? null
                : migration.waitEvent().split(":")[0]) ? waitsOn() : List.of();
        return new Sample(Instant.now(), elapsed, migration, waitsOn, waiters(), replicas(), Sample.Slot.read(c), indexBuild(), backfill,
                Duration.ofNanos(System.nanoTime() - start));
    }

    private Sample.Activity activity() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select state, wait_event_type || ':' || wait_event, query,"
                + " (extract(epoch from clock_timestamp() - query_start) * 1000)::bigint from pg_stat_activity where pid = ?")) {
            ps.setInt(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Sample.Activity(pid, rs.getString(1), rs.getString(2), rs.getString(3),
                        Duration.ofMillis(rs.getLong(4))) : null;
            }
        }
    }

    private List<LockHolder> waitsOn() throws SQLException {
        String sql = "select pid, usename, application_name, host(client_addr), coalesce(xact_start, backend_start), state, query,"
                + " (extract(epoch from clock_timestamp() - coalesce(xact_start, backend_start)) * 1000)::bigint"
                + " from pg_stat_activity where pid = any(pg_blocking_pids(?)) order by coalesce(xact_start, backend_start)";
        List<LockHolder> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp since = rs.getTimestamp(5);
                    out.add(new LockHolder(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            since == null ? null : since.toInstant(), Duration.ofMillis(rs.getLong(8)), rs.getString(6),
                            rs.getString(7)));
                }
            }
        }
        return out;
    }

    /**
     * Sessions whose lock wait the migration causes. pg_blocking_pids takes the lock manager's
     * locks, so it is asked only for the sessions waiting on a lock at all, never for every backend.
     */
    private List<Sample.Waiter> waiters() throws SQLException {
        String sql = "with waiting as materialized (select pid from pg_stat_activity where wait_event_type = 'Lock'"
                + " and pid <> ? and pid <> pg_backend_pid())"
                + " select a.pid, a.usename, a.application_name, a.state,"
                + " (extract(epoch from clock_timestamp() - coalesce(" + waitStart + "a.state_change, a.query_start)) * 1000)::bigint,"
                + " a.query from waiting w join pg_stat_activity a on a.pid = w.pid"
                + " where ? = any(pg_blocking_pids(w.pid)) order by 5 desc";
        List<Sample.Waiter> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, pid);
            ps.setInt(2, pid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Sample.Waiter(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            Duration.ofMillis(Math.max(0, rs.getLong(5))), rs.getString(6)));
                }
            }
        }
        return out;
    }

    /**
     * The replicas, each with the larger of its reported lag and the monitor's estimate: the time
     * since the primary first wrote WAL the replica has not replayed yet, from the positions of
     * earlier samples. A replica whose replay is paused keeps reporting its last replay lag, so
     * its report alone would say it is fine. The estimate is short by up to one interval.
     */
    private List<Replica> replicas() throws SQLException {
        long now = System.nanoTime();
        String current = single("select case when pg_is_in_recovery() then null else pg_current_wal_lsn()::text end");
        List<Replica> read = Replica.read(c);
        if (current == null) {
            return read;
        }
        positions.addLast(new Position(now, lsn(current)));
        while (positions.size() > 1 && now - positions.peekFirst().nanos() > HISTORY.toNanos()) {
            positions.removeFirst();
        }
        if (read.isEmpty()) {
            return read;
        }
        List<String> replayed = read.stream().map(r -> r.bytesBehind() == 0 || r.replayLsn() == null ? current : r.replayLsn()).toList();
        List<Replica> out = new ArrayList<>();
        for (int i = 0; i < read.size(); i++) {
            out.add(read.get(i).atLeast(unreplayedFor(replayed.get(i), now)));
        }
        return out;
    }

    /** How long ago the primary was first seen past {@code replayed}; zero when it never was. */
    private Duration unreplayedFor(String replayed, long now) {
        long lsn = lsn(replayed);
        for (Position p : positions) {
            if (p.lsn() > lsn) {
                return Duration.ofNanos(now - p.nanos());
            }
        }
        return Duration.ZERO;
    }

    /** A pg_lsn as a number: {@code 16/B374D848} is two 32-bit hex halves. */
    static long lsn(String text) {
        int slash = text.indexOf('/');
        return (Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16);
    }

    private Sample.IndexBuild indexBuild() throws SQLException {
        String sql = "select coalesce(index_relid::regclass::text, ''), relid::regclass::text, phase, blocks_done, blocks_total,"
                + " tuples_done, tuples_total from pg_stat_progress_create_index where pid = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Sample.IndexBuild(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getLong(5), rs.getLong(6), rs.getLong(7)) : null;
            }
        }
    }

    private String single(String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
