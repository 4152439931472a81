package dev.reverso.testing;

import dev.reverso.Database;
import dev.reverso.DatabaseUrl;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A database of its own for one test class, on the real server named by REVERSO_TEST_URL
 * (default: the local PostgreSQL with trust auth), dropped when closed.
 */
public final class ScratchDatabase implements AutoCloseable {

    private final DatabaseUrl server;
    private final String name;
    private final DatabaseUrl url;

    private ScratchDatabase(DatabaseUrl server, String name) {
        this.server = server;
        this.name = name;
        this.url = server.withDatabase(name);
    }

    /** The server tests run against. */
    public static DatabaseUrl server() {
        String env = System.getenv("REVERSO_TEST_URL");
        return DatabaseUrl.parse(env != null && !env.isBlank() ? env : "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
    }

    /** Creates {@code reverso_test_<owner>_<random>}. */
    public static ScratchDatabase create(Class<?> owner) {
        String name = ("reverso_test_" + owner.getSimpleName() + "_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36))
                .toLowerCase(Locale.ROOT);
        ScratchDatabase db = new ScratchDatabase(server(), name);
        db.onServer("create database " + name);
        return db;
    }

    public DatabaseUrl url() {
        return url;
    }

    public String name() {
        return name;
    }

    /** A JDBC URL with the credentials in it, for passing to a command line. */
    public String jdbcUrl() {
        return url.withCredentials();
    }

    public Connection connect() {
        return new Database(url, "reverso-test").connect();
    }

    /**
     * A session that has read the table in a transaction it leaves open, idle: it holds ACCESS
     * SHARE on the table until it rolls back or is closed, as a forgotten report query does.
     */
    public Connection openTransactionReading(String table, String applicationName) {
        Connection c = connect();
        try (java.sql.Statement st = c.createStatement()) {
            st.execute("set application_name = '" + applicationName + "'");
            c.setAutoCommit(false);
            st.execute("select count(*) from " + table);
            return c;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Back to an empty application: drops Reverso's schema and its archive, the public schema
     * (recreated empty) and every version schema operation migrations left (public_*).
     */
    public void resetSchemas() {
        execute("drop schema if exists reverso cascade; drop schema if exists reverso_archive cascade;"
                + " drop schema public cascade; create schema public;"
                + " do $$ declare s text; begin for s in select nspname from pg_namespace where nspname like 'public\\_%' loop"
                + " execute format('drop schema %I cascade', s); end loop; end $$;");
    }

    public void execute(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The first column of every row, as text. */
    public List<String> column(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The single value of a one-row, one-column query, as text. */
    public String value(String sql) {
        List<String> rows = column(sql);
        if (rows.size() != 1) {
            throw new IllegalStateException(sql + " returned " + rows.size() + " rows");
        }
        return rows.get(0);
    }

    public boolean tableExists(String table) {
        return Boolean.parseBoolean(value("select (to_regclass('" + table + "') is not null)::text"));
    }

    @Override
    public void close() {
        onServer("drop database if exists " + name + " with (force)");
    }

    private void onServer(String sql) {
        try (Connection c = new Database(server, "reverso-test").connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
