package dev.reverso.engine;

import dev.reverso.catalog.Catalog;
import dev.reverso.history.LockHolder;
import dev.reverso.sql.LockMode;
import dev.reverso.sql.RelationLock;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the sessions standing in the way of a statement: those holding, or queued ahead for, a
 * lock on its tables that conflicts with the lock it needs. Asked right after a lock timeout, on
 * the runner's own connection, so it needs no second connection and no sampling thread.
 */
public final class Blockers {

    private Blockers() {
    }

    /**
     * The sessions whose locks on the step's tables conflict with the step's lock; when none
     * conflicts, every other session with a lock on those tables.
     */
    public static List<LockHolder> of(Connection c, Step step) throws SQLException {
        List<RelationLock> locks = step.classification().locks();
        if (locks.isEmpty()) {
            return List.of();
        }
        String sql = "select a.pid, a.usename, a.application_name, host(a.client_addr),"
                + " coalesce(a.xact_start, a.backend_start), a.state, a.query, l.mode, t.ord,"
                + " (extract(epoch from clock_timestamp() - coalesce(a.xact_start, a.backend_start)) * 1000)::bigint"
                + " from unnest(?::text[]) with ordinality t(name, ord)"
                + " join pg_locks l on l.relation = to_regclass(t.name)::oid"
                + " join pg_stat_activity a on a.pid = l.pid"
                + " where l.locktype = 'relation' and l.pid <> pg_backend_pid()"
                + " and l.database = (select oid from pg_database where datname = current_database())"
                + " order by coalesce(a.xact_start, a.backend_start)";
        Map<Integer, LockHolder> conflicting = new LinkedHashMap<>();
        Map<Integer, LockHolder> all = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Array array = c.createArrayOf("text", locks.stream().map(l -> Catalog.regclassText(l.relation())).toArray());
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LockMode held = fromPgLocks(rs.getString(8));
                    LockMode wanted = locks.get(rs.getInt(9) - 1).mode();
                    Timestamp since = rs.getTimestamp(5);
                    LockHolder holder = new LockHolder(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            since == null ? null : since.toInstant(), java.time.Duration.ofMillis(rs.getLong(10)),
                            rs.getString(6), rs.getString(7));
                    all.putIfAbsent(holder.pid(), holder);
                    if (held == null || held.conflictsWith(wanted)) {
                        conflicting.putIfAbsent(holder.pid(), holder);
                    }
                }
            }
        }
        // A concurrent index build waits for every older transaction on its table, whatever lock it
        // holds; when no lock conflicts, those transactions are what it waited for.
        return new ArrayList<>((conflicting.isEmpty() ? all : conflicting).values());
    }

    /** pg_locks names modes like {@code ShareRowExclusiveLock}. */
    static LockMode fromPgLocks(String mode) {
        if (mode == null || !mode.endsWith("Lock")) {
            return null;
        }
        String snake = mode.substring(0, mode.length() - 4).replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
        try {
            return LockMode.valueOf(snake);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
