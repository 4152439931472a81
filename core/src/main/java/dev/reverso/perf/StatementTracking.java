package dev.reverso.perf;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Optional;

/**
 * Whether pg_stat_statements can be read in the connected database: the library must be in
 * {@code shared_preload_libraries} (the view errors otherwise) and the extension created in this
 * database.
 *
 * @param preloaded pg_stat_statements is in shared_preload_libraries
 * @param schema the schema the extension was created in, empty when it is not created here
 */
public record StatementTracking(boolean preloaded, Optional<String> schema) {

    /** Reads both from the server; only catalog queries, so it never fails for a missing extension. */
    public static StatementTracking read(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select current_setting('shared_preload_libraries'),"
                     + " (select n.nspname from pg_extension e join pg_namespace n on n.oid = e.extnamespace"
                     + " where e.extname = 'pg_stat_statements')")) {
            rs.next();
            boolean preloaded = Arrays.stream(rs.getString(1).split(","))
                    .map(s -> s.strip().replace("\"", "")).anyMatch("pg_stat_statements"::equals);
            return new StatementTracking(preloaded, Optional.ofNullable(rs.getString(2)));
        }
    }

    public boolean usable() {
        return preloaded && schema.isPresent();
    }

    /** What to do to make the statements part work; empty when it works. */
    public Optional<String> howToEnable() {
        if (usable()) {
            return Optional.empty();
        }
        String create = "then run CREATE EXTENSION pg_stat_statements; in this database";
        if (!preloaded) {
            return Optional.of("pg_stat_statements is not loaded: set shared_preload_libraries = 'pg_stat_statements'"
                    + " in postgresql.conf (keeping any libraries already listed) and restart the server, " + create
                    + "; statement times are compared from the next baseline on");
        }
        return Optional.of("pg_stat_statements is loaded but not created in this database: run CREATE EXTENSION"
                + " pg_stat_statements; statement times are compared from the next baseline on");
    }
}
