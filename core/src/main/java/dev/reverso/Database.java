package dev.reverso;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The target database: opens connections to it and turns the driver's connection failures into
 * one-line errors that say what to fix (wrong password, no such database, server not listening).
 */
public final class Database {

    private final DatabaseUrl url;
    private final String applicationName;

    public Database(DatabaseUrl url, String applicationName) {
        this.url = url;
        this.applicationName = applicationName;
    }

    public DatabaseUrl url() {
        return url;
    }

    /**
     * Opens a connection in autocommit mode.
     *
     * @throws ReversoException of kind UNREACHABLE when the server cannot be reached or refuses
     */
    public Connection connect() {
        Properties props = new Properties();
        if (url.user() != null) {
            props.setProperty("user", url.user());
        }
        if (url.password() != null) {
            props.setProperty("password", url.password());
        }
        props.setProperty("ApplicationName", applicationName);
        props.setProperty("connectTimeout", "10");
        try {
            return DriverManager.getConnection(url.jdbcUrl(), props);
        } catch (SQLException e) {
            throw new ReversoException(ReversoException.Kind.UNREACHABLE, describe(e), e);
        }
    }

    private String describe(SQLException e) {
        String where = url.display();
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return switch (state) {
            case "28P01" -> "password authentication failed for " + where;
            case "28000" -> "the server refused " + where + ": " + firstLine(e.getMessage());
            case "3D000" -> "database does not exist: " + where;
            default -> {
                Throwable cause = e.getCause();
                if (cause instanceof ConnectException) {
                    yield "cannot connect to " + where + ": connection refused (is PostgreSQL running there?)";
                }
                if (cause instanceof UnknownHostException) {
                    yield "cannot connect to " + where + ": unknown host " + cause.getMessage();
                }
                yield "cannot connect to " + where + ": " + firstLine(e.getMessage());
            }
        };
    }

    /** What the server said, as one line without the driver's "ERROR: " prefix. */
    public static String serverMessage(java.sql.SQLException e) {
        return firstLine(e.getMessage()).replaceFirst("^ERROR: ", "");
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
