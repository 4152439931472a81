package dev.reverso.archive;

import dev.reverso.DatabaseUrl;
import dev.reverso.ReversoException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A database as the PostgreSQL client programs reach it: host, port, database, user, password
 * and sslmode read from a {@link DatabaseUrl}. They are handed to the programs in their
 * environment ({@code PGHOST}, ..., {@code PGPASSWORD}), never on the command line, where any
 * user of the machine could read the password.
 *
 * @param user null for the client's default (the operating-system user)
 * @param password null for none (the client then reads ~/.pgpass)
 * @param sslmode null for the client's default
 */
public record ClientTarget(String host, int port, String database, String user, String password, String sslmode) {

    private static final Pattern JDBC = Pattern.compile("^jdbc:postgresql:(?://([^/?]*))?/?([^?]*)(?:\\?(.*))?$");

    /** Reads the host, port, database and credentials of a URL; a list of hosts gives its first. */
    public static ClientTarget of(DatabaseUrl url) {
        Matcher m = JDBC.matcher(url.jdbcUrl());
        if (!m.matches()) {
            throw ReversoException.badInput("cannot read host and database from " + url.display());
        }
        String hosts = m.group(1) == null || m.group(1).isEmpty() ? "localhost" : m.group(1).split(",")[0];
        String host = hosts;
        int port = 5432;
        int colon = hosts.lastIndexOf(':');
        if (colon > hosts.lastIndexOf(']')) {
            host = hosts.substring(0, colon);
            port = Integer.parseInt(hosts.substring(colon + 1));
        }
        host = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        Map<String, String> params = new HashMap<>();
        if (m.group(3) != null) {
            for (String pair : m.group(3).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(pair.substring(0, eq).toLowerCase(java.util.Locale.ROOT), decode(pair.substring(eq + 1)));
                }
            }
        }
        String database = m.group(2).isEmpty() ? null : decode(m.group(2));
        String user = url.user() != null ? url.user() : params.get("user");
        String password = url.password() != null ? url.password() : params.get("password");
        return new ClientTarget(host, port, database == null ? user : database, user, password, params.get("sslmode"));
    }

    /**
     * The environment a client program connects with: these settings, and no other {@code PG*}
     * variable that could send it elsewhere (PGSERVICE, PGHOSTADDR, ...).
     */
    public Map<String, String> environment(Map<String, String> inherited) {
        Map<String, String> env = new HashMap<>(inherited);
        env.keySet().removeIf(k -> k.startsWith("PG") && !k.equals("PGPASSFILE") && !k.startsWith("PGSSL"));
        env.put("PGHOST", host);
        env.put("PGPORT", Integer.toString(port));
        if (database != null) {
            env.put("PGDATABASE", database);
        }
        if (user != null) {
            env.put("PGUSER", user);
        }
        if (password != null) {
            env.put("PGPASSWORD", password);
        }
        if (sslmode != null) {
            env.put("PGSSLMODE", sslmode);
        }
        env.put("PGAPPNAME", "reverso");
        return env;
    }

    /**
     * The database as a connection string for {@code --dbname}, which pg_restore needs (without
     * it, it prints SQL instead of restoring); the rest comes from the environment.
     */
    public String dbnameOption() {
        return "--dbname=dbname='" + database.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
