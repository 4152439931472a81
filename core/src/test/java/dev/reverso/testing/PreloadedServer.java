package dev.reverso.testing;

import dev.reverso.Database;
import dev.reverso.DatabaseUrl;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of the test's own (initdb and pg_ctl, as {@link StreamingReplica} makes
 * them) with pg_stat_statements in shared_preload_libraries, which the shared test server lacks and
 * which only a restart can change. Autovacuum is off so dead tuples stay where a test put them.
 * Skips the test with the reason when the binaries or the library are missing.
 */
public final class PreloadedServer implements AutoCloseable {

    private final Path bin;
    private final Path home;
    private final boolean asPostgres;
    private final int port;
    private boolean running;

    private PreloadedServer(Path bin, Path home, boolean asPostgres, int port) {
        this.bin = bin;
        this.home = home;
        this.asPostgres = asPostgres;
        this.port = port;
    }

    public static PreloadedServer start() {
        Path bin = StreamingReplica.binaries();
        Assumptions.assumeTrue(bin != null, "no PostgreSQL server binaries (initdb, pg_ctl) on this machine;"
                + " set REVERSO_PG_BIN to their folder to run the pg_stat_statements tests");
        PreloadedServer s;
        try {
            boolean root = "root".equals(System.getProperty("user.name"));
            Path home = Files.createTempDirectory("reverso-pgss");
            if (root) {
                UserPrincipal postgres = home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                Files.setOwner(home, postgres);
            }
            s = new PreloadedServer(bin, home, root, StreamingReplica.freePort());
        } catch (IOException e) {
            Assumptions.abort("cannot prepare a folder for the cluster as the postgres user: " + e.getMessage());
            return null;
        }
        try {
            Path data = s.home.resolve("data");
            StreamingReplica.run(bin, s.home, s.asPostgres, "initdb", "-D", data.toString(), "-A", "trust", "-U", "postgres",
                    "-E", "UTF8", "--no-sync");
            StreamingReplica.append(data.resolve("postgresql.conf"), "port = " + s.port + "\nlisten_addresses = '127.0.0.1'\n"
                    + "unix_socket_directories = '" + s.home + "'\nfsync = off\nautovacuum = off\n"
                    + "shared_preload_libraries = 'pg_stat_statements'\n");
            StreamingReplica.run(bin, s.home, s.asPostgres, "pg_ctl", "-D", data.toString(), "-l",
                    s.home.resolve("server.log").toString(), "-w", "-t", "60", "start");
            s.running = true;
            return s;
        } catch (IOException | IllegalStateException e) {
            s.close();
            Assumptions.abort("could not start a server with pg_stat_statements preloaded here: " + e.getMessage());
            return null;
        }
    }

    /** The cluster's postgres database. */
    public DatabaseUrl url() {
        return DatabaseUrl.parse("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres");
    }

    public void execute(String sql) {
        try (Connection c = new Database(url(), "reverso-test").connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Stops the cluster (immediately: it is thrown away) and deletes its files. */
    @Override
    public void close() {
        if (running) {
            try {
                StreamingReplica.run(bin, home, asPostgres, "pg_ctl", "-D", home.resolve("data").toString(), "-m", "immediate",
                        "-w", "stop");
            } catch (IOException | IllegalStateException ignored) {
                // Deleting the folder below is all that is left to try.
            }
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // A temporary folder; the OS cleans it eventually.
        }
    }
}
