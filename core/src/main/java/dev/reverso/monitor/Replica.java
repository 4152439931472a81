package dev.reverso.monitor;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming replica as the primary sees it in pg_stat_replication.
 *
 * @param name its application_name, or its address
 * @param writeLag the lags the replica last reported; null when it has not reported one lately
 * @param bytesBehind WAL written on the primary that the replica has not replayed yet
 * @param lag how far behind it is: zero when it has replayed everything written, else the
 *     reported replay lag, or the monitor's own estimate when that is larger (a replica whose
 *     replay is paused keeps reporting its last, small, replay lag)
 */
public record Replica(String name, String state, Duration writeLag, Duration flushLag, Duration replayLag, long bytesBehind,
                      String replayLsn, Duration lag) {

    /** Every replica connected to this server, with its lag as reported (see {@link #lag}). */
    public static List<Replica> read(Connection c) throws SQLException {
        String sql = "select coalesce(nullif(application_name, ''), host(client_addr), 'pid ' || pid), state,"
                + " (extract(epoch from write_lag) * 1000)::bigint, (extract(epoch from flush_lag) * 1000)::bigint,"
                + " (extract(epoch from replay_lag) * 1000)::bigint,"
                + " greatest(coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), 0), 0)::bigint, replay_lsn::text"
                + " from pg_stat_replication order by 1";
        List<Replica> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                Duration replay = millis(rs, 5);
                long behind = rs.getLong(6);
                out.add(new Replica(rs.getString(1), rs.getString(2), millis(rs, 3), millis(rs, 4), replay, behind,
                        rs.getString(7), behind == 0 || replay == null ? Duration.ZERO : replay));
            }
        }
        return out;
    }

    private static Duration millis(ResultSet rs, int column) throws SQLException {
        long ms = rs.getLong(column);
        return rs.wasNull() ? null : Duration.ofMillis(ms);
    }

    /** The same replica with the lag the monitor estimated, when larger than the reported one. */
    Replica atLeast(Duration estimate) {
        return estimate.compareTo(lag) > 0 ? new Replica(name, state, writeLag, flushLag, replayLag, bytesBehind, replayLsn, estimate)
                : this;
    }
}
