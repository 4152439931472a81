package dev.reverso.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The connection a migration runs on, with the timeouts Reverso keeps set on it. The lock timeout
 * is set at session level and only sent when it changes, so that a run of many small
 * migrations pays no extra round trip per migration for it.
 */
public final class Session {

    private final Connection connection;
    private Duration lockTimeout;
    private RunGuard guard = RunGuard.none();

    public Session(Connection connection, Duration statementTimeout) throws SQLException {
        this.connection = connection;
        setting("statement_timeout", statementTimeout.toMillis() + "ms");
    }

    public Connection connection() {
        return connection;
    }

    /** The guard asked before every statement and at every safe point of the run (the live monitor). */
    public void guardedBy(RunGuard g) {
        this.guard = g;
    }

    public RunGuard guard() {
        return guard;
    }

    /** Sets lock_timeout for the statements that follow; a no-op when it is already that. */
    public void lockTimeout(Duration timeout) throws SQLException {
        if (!timeout.equals(lockTimeout)) {
            setting("lock_timeout", timeout.toMillis() + "ms");
            lockTimeout = timeout;
        }
    }

    /** Runs one migration statement as written: no JDBC escape processing, no parameters. */
    public void execute(Step step) throws SQLException {
        execute(step.sql());
    }

    /** Runs SQL that stands in for a migration statement (the statement as the archive rewrote it). */
    public void execute(String sql) throws SQLException {
        guard.check();
        try (Statement st = connection.createStatement()) {
            st.setEscapeProcessing(false);
            st.execute(sql);
        }
    }

    private void setting(String name, String value) throws SQLException {
        // set_config(..., false) is session level: it outlives the transaction it was sent in.
        try (PreparedStatement ps = connection.prepareStatement("select set_config(?, ?, false)")) {
            ps.setString(1, name);
            ps.setString(2, value);
            ps.executeQuery().close();
        }
    }
}
