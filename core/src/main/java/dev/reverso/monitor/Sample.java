package dev.reverso.monitor;

import dev.reverso.Event;
import dev.reverso.history.LockHolder;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * One look at the server during a run, taken on the monitor's own connection.
 *
 * @param elapsed time since the run began
 * @param migration what the migration's session is doing, or null when the server did not show it
 * @param waitsOn the sessions the migration waits for (pg_blocking_pids of its backend)
 * @param waiters the sessions waiting for the migration, longest first
 * @param replicas every streaming replica with its lag
 * @param slots logical replication slots and the WAL they hold back
 * @param indexBuild the index the migration is building, or null
 * @param backfill the backfill's latest progress, or null when no backfill is running
 * @param took how long the look took: the monitor's own cost, a few round trips
 */
public record Sample(Instant at, Duration elapsed, Activity migration, List<LockHolder> waitsOn, List<Waiter> waiters,
                     List<Replica> replicas, List<Slot> slots, IndexBuild indexBuild, Event.BackfillProgress backfill,
                     Duration took) {

    /** The migration's backend as pg_stat_activity shows it. */
    public record Activity(int pid, String state, String waitEvent, String query, Duration queryAge) {
    }

    /**
     * A session waiting for a lock the migration holds (or is queued ahead for).
     *
     * @param waited since it started waiting for the lock (pg_locks.waitstart, PostgreSQL 14+;
     *     since its query began on older servers)
     */
    public record Waiter(int pid, String user, String applicationName, String state, Duration waited, String query) {

        /** {@code pid 4711 (application 'shop', user app)}. */
        public String describe() {
            return "pid " + pid + " (" + (applicationName == null || applicationName.isEmpty() ? "" : "application '"
                    + applicationName + "', ") + "user " + user + ")";
        }
    }

    /** A logical replication slot and the WAL it keeps on the primary. */
    public record Slot(String name, boolean active, long retainedBytes) {

        /** Every logical slot of the server with the WAL it holds back from here. */
        public static List<Slot> read(java.sql.Connection c) throws java.sql.SQLException {
            String sql = "select slot_name, active, coalesce(pg_wal_lsn_diff(case when pg_is_in_recovery()"
                    + " then pg_last_wal_replay_lsn() else pg_current_wal_lsn() end, restart_lsn), 0)::bigint"
                    + " from pg_replication_slots where slot_type = 'logical' order by 1";
            List<Slot> out = new java.util.ArrayList<>();
            try (java.sql.Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    out.add(new Slot(rs.getString(1), rs.getBoolean(2), rs.getLong(3)));
                }
            }
            return out;
        }
    }

    /** pg_stat_progress_create_index for the migration's backend. */
    public record IndexBuild(String index, String table, String phase, long blocksDone, long blocksTotal, long tuplesDone,
                             long tuplesTotal) {

        /** Done in this phase, as a percentage of blocks (or tuples when blocks are not counted), or -1. */
        public int percent() {
            if (blocksTotal > 0) {
                return (int) Math.min(100, 100 * blocksDone / blocksTotal);
            }
            return tuplesTotal > 0 ? (int) Math.min(100, 100 * tuplesDone / tuplesTotal) : -1;
        }
    }

    /** The longest wait of a session on the migration, or zero. */
    public Duration longestWait() {
        return waiters.stream().map(Waiter::waited).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /** The replica lagging most, or null when none is connected. */
    public Replica worstReplica() {
        return replicas.stream().max((a, b) -> a.lag().compareTo(b.lag())).orElse(null);
    }

    /**
     * What changed between samples matters, not the seconds ticking: the sessions involved, the
     * lagging replicas (to the second), the index build's phase. Plain output prints a sample
     * only when this changes.
     */
    public String signature() {
        StringBuilder s = new StringBuilder();
        waitsOn.forEach(h -> s.append("on:").append(h.pid()).append(' '));
        waiters.forEach(w -> s.append("by:").append(w.pid()).append(' '));
        replicas.stream().filter(r -> r.lag().toSeconds() > 0).forEach(r -> s.append("lag:").append(r.name()).append('=')
                .append(r.lag().toSeconds()).append(' '));
        if (indexBuild != null) {
            s.append("index:").append(indexBuild.phase());
        }
        return s.toString().strip();
    }

    /** Statement text as the monitor quotes it: one line, at most 80 characters. */
    public static String oneLine(String sql) {
        if (sql == null) {
            return "(no statement)";
        }
        String flat = sql.replaceAll("\\s+", " ").strip();
        return flat.length() > 80 ? flat.substring(0, 77) + "..." : flat;
    }

    /** Seconds with one decimal, as every monitor message writes a wait or a lag. */
    public static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
