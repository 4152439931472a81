package dev.reverso.release;

import dev.reverso.Database;
import dev.reverso.DatabaseUrl;
import dev.reverso.ReversoException;
import dev.reverso.history.AuditLog;
import dev.reverso.history.HistoryRow;
import dev.reverso.history.HistoryTable;
import dev.reverso.history.ReversoSchema;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What one environment has applied: its {@code reverso.migrations} by version, read over a
 * read-only connection, with the server's clock (soak times are measured on it, so the runner's
 * clock does not matter). An environment that cannot be read is kept with the reason.
 *
 * @param environment its name
 * @param rows        its history by version; empty when it has no Reverso schema yet
 * @param now         the environment's server time when read; null when unreachable
 * @param unreachable why it could not be read; null when it was
 */
public record EnvironmentHistory(String environment, Map<String, HistoryRow> rows, Instant now, String unreachable) {

    /** Whether it could be read. */
    public boolean reachable() {
        return unreachable == null;
    }

    /** Reads an environment's history; a URL that cannot be resolved or reached gives an unreachable history. */
    public static EnvironmentHistory read(Environment env, Map<String, String> variables, String schema, String applicationName) {
        DatabaseUrl url;
        try {
            url = env.resolve(variables);
        } catch (ReversoException e) {
            return unreachable(env, e.getMessage());
        }
        try (Connection c = new Database(url, applicationName).connect()) {
            c.setReadOnly(true);
            Map<String, HistoryRow> rows = new HashMap<>();
            ReversoSchema reverso = new ReversoSchema(schema);
            if (reverso.exists(c)) {
                for (HistoryRow row : new HistoryTable(reverso, new AuditLog(reverso, "")).all(c)) {
                    rows.put(row.version(), row);
                }
            }
            return new EnvironmentHistory(env.name(), rows, serverNow(c), null);
        } catch (ReversoException e) {
            return unreachable(env, e.getMessage());
        } catch (SQLException e) {
            return unreachable(env, "cannot read its history: " + Database.serverMessage(e));
        }
    }

    private static EnvironmentHistory unreachable(Environment env, String why) {
        return new EnvironmentHistory(env.name(), Map.of(), null, why);
    }

    private static Instant serverNow(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select now()")) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }
}
