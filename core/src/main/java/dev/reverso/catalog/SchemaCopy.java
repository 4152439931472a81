package dev.reverso.catalog;

import dev.reverso.Database;
import dev.reverso.DatabaseUrl;
import dev.reverso.ReversoException;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A scratch database on the target's server holding a copy of the target's schema and no data,
 * made with {@code pg_dump --schema-only} and {@code psql}; dropped on close. Used to run
 * migrations for real, for their locks and rewrites, without touching the target.
 */
public final class SchemaCopy implements AutoCloseable {

    private final Database server;
    private final String name;
    private final DatabaseUrl url;

    private SchemaCopy(Database server, String name, DatabaseUrl url) {
        this.server = server;
        this.name = name;
        this.url = url;
    }

    /**
     * Copies the target's schema into a new database {@code reverso_trace_<random>}.
     *
     * @throws ReversoException BAD_INPUT when pg_dump or psql is not installed (saying how to get
     *     them), UNREACHABLE when the database cannot be created or the dump fails
     */
    public static SchemaCopy of(Database target) {
        String name = "reverso_trace_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        requireTool("pg_dump");
        requireTool("psql");
        try (Connection c = target.connect(); Statement st = c.createStatement()) {
            st.execute("create database " + name);
        } catch (SQLException e) {
            throw new ReversoException(ReversoException.Kind.UNREACHABLE, "cannot create scratch database " + name
                    + " for the trace: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        SchemaCopy copy = new SchemaCopy(target, name, target.url().withDatabase(name));
        try {
            copy.load(target.url());
        } catch (RuntimeException e) {
            copy.close();
            throw e;
        }
        return copy;
    }

    /** The scratch database. */
    public DatabaseUrl url() {
        return url;
    }

    public String name() {
        return name;
    }

    private void load(DatabaseUrl from) {
        try {
            Path dump = Files.createTempFile("reverso-trace", ".sql");
            try {
                run(List.of("pg_dump", "--schema-only", "--no-owner", "--no-privileges", "--file", dump.toString(),
                        "--dbname", libpq(from)), "pg_dump of the target's schema");
                run(List.of("psql", "--quiet", "--no-psqlrc", "--set", "ON_ERROR_STOP=0", "--file", dump.toString(),
                        "--dbname", libpq(url)), "loading the schema into " + name);
            } finally {
                Files.deleteIfExists(dump);
            }
        } catch (IOException e) {
            throw new ReversoException(ReversoException.Kind.UNREACHABLE, "cannot copy the schema: " + e.getMessage(), e);
        }
    }

    private static void run(List<String> command, String what) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new ReversoException(ReversoException.Kind.UNREACHABLE, what + " failed: "
                        + output.lines().filter(l -> !l.isBlank()).findFirst().orElse("exit " + p.exitValue()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during " + what, e);
        }
    }

    private static void requireTool(String tool) {
        try {
            Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new ReversoException(ReversoException.Kind.BAD_INPUT, tool + " is not installed; plan --trace needs it to"
                    + " copy the schema (Debian/Ubuntu: apt-get install postgresql-client; macOS: brew install libpq)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A libpq URI for the same server, database and credentials as a JDBC URL. */
    static String libpq(DatabaseUrl url) {
        String s = url.jdbcUrl().replaceFirst("^jdbc:postgresql:", "postgresql:");
        StringBuilder out = new StringBuilder(s);
        if (url.user() != null) {
            out.append(s.contains("?") ? '&' : '?').append("user=").append(encode(url.user()));
        }
        if (url.password() != null) {
            out.append(out.indexOf("?") < 0 ? '?' : '&').append("password=").append(encode(url.password()));
        }
        // JDBC-only parameters would make libpq refuse the URI.
        return out.toString().replaceAll("(?i)[?&](ApplicationName|connectTimeout|prepareThreshold|loggerLevel|ssl)=[^&]*", "")
                .replaceFirst("^([^?]*)&", "$1?");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            st.execute("drop database if exists " + name.toLowerCase(Locale.ROOT) + " with (force)");
        } catch (SQLException e) {
            throw new ReversoException(ReversoException.Kind.UNREACHABLE, "cannot drop scratch database " + name
                    + "; drop it by hand: " + e.getMessage(), e);
        }
    }
}
