package dev.reverso.testing;

import dev.reverso.Database;
import dev.reverso.DatabaseUrl;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real primary and a real streaming replica, two PostgreSQL clusters of the test's own on free
 * ports: the primary made with initdb and configured for replication, the replica made from it
 * with pg_basebackup and started as a hot standby. Uses the server binaries of the machine
 * (REVERSO_PG_BIN, else /usr/lib/postgresql/NN/bin, else pg_config --bindir). PostgreSQL refuses
 * to run as root, so as root every binary runs as the postgres user (runuser). When the binaries
 * are missing or a cluster cannot start, the test is skipped with the reason, never faked.
 */
public final class StreamingReplica implements AutoCloseable {

    /** The replica's application_name, as pg_stat_replication on the primary shows it. */
    public static final String NAME = "reverso_replica";

    private final Path bin;
    private final Path home;
    private final boolean asPostgres;
    private final int primaryPort;
    private final int replicaPort;
    private final List<Path> started = new ArrayList<>();

    private StreamingReplica(Path bin, Path home, boolean asPostgres, int primaryPort, int replicaPort) {
        this.bin = bin;
        this.home = home;
        this.asPostgres = asPostgres;
        this.primaryPort = primaryPort;
        this.replicaPort = replicaPort;
    }

    /** Starts both clusters and waits until the replica streams; skips the test when that is impossible here. */
    public static StreamingReplica start() {
        Path bin = binaries();
        Assumptions.assumeTrue(bin != null, "no PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) on this machine;"
                + " set REVERSO_PG_BIN to their folder to run the replication tests");
        boolean root = "root".equals(System.getProperty("user.name"));
        StreamingReplica r;
        try {
            Path home = Files.createTempDirectory("reverso-replica");
            if (root) {
                UserPrincipal postgres = home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                Files.setOwner(home, postgres);
            }
            r = new StreamingReplica(bin, home, root, freePort(), freePort());
        } catch (IOException e) {
            Assumptions.abort("cannot prepare a folder for the replica's clusters as the postgres user: " + e.getMessage());
            return null;
        }
        try {
            r.startPrimary();
            r.startReplica();
            r.awaitStreaming();
            return r;
        } catch (IOException | SQLException | IllegalStateException e) {
            r.close();
            Assumptions.abort("could not start a streaming replica here: " + e.getMessage());
            return null;
        }
    }

    public DatabaseUrl primary() {
        return DatabaseUrl.parse("jdbc:postgresql://127.0.0.1:" + primaryPort + "/postgres?user=postgres");
    }

    public DatabaseUrl replica() {
        return DatabaseUrl.parse("jdbc:postgresql://127.0.0.1:" + replicaPort + "/postgres?user=postgres");
    }

    /** Runs SQL on the replica (a hot standby: reads and recovery functions only). */
    public void onReplica(String sql) {
        run(replica(), sql);
    }

    public void onPrimary(String sql) {
        run(primary(), sql);
    }

    /** The replica stops replaying WAL (it keeps receiving it): its lag grows with every write on the primary. */
    public void pauseReplay() {
        onReplica("select pg_wal_replay_pause()");
    }

    public void resumeReplay() {
        onReplica("select pg_wal_replay_resume()");
    }

    private void startPrimary() throws IOException {
        Path data = home.resolve("primary");
        pg("initdb", "-D", data.toString(), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync");
        append(data.resolve("postgresql.conf"), "port = " + primaryPort + "\nlisten_addresses = '127.0.0.1'\n"
                + "unix_socket_directories = '" + home + "'\nwal_level = replica\nmax_wal_senders = 4\nfsync = off\n"
                + "wal_sender_timeout = 10s\n");
        append(data.resolve("pg_hba.conf"), "host replication all 127.0.0.1/32 trust\n");
        startCluster(data);
    }

    private void startReplica() throws IOException {
        Path data = home.resolve("replica");
        pg("pg_basebackup", "-h", "127.0.0.1", "-p", String.valueOf(primaryPort), "-U", "postgres", "-D", data.toString(), "-R",
                "-X", "stream", "-c", "fast", "--no-sync");
        // postgresql.auto.conf (written by -R) wins over postgresql.conf; the later line wins within it.
        append(data.resolve("postgresql.auto.conf"), "primary_conninfo = 'host=127.0.0.1 port=" + primaryPort
                + " user=postgres application_name=" + NAME + "'\nport = " + replicaPort + "\nhot_standby = on\n");
        startCluster(data);
    }

    private void startCluster(Path data) throws IOException {
        pg("pg_ctl", "-D", data.toString(), "-l", home.resolve(data.getFileName() + ".log").toString(), "-w", "-t", "60", "start");
        started.add(data);
    }

    private void awaitStreaming() throws SQLException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
            try (Connection c = new Database(primary(), "reverso-test").connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select count(*) from pg_stat_replication where application_name = '" + NAME
                         + "' and state = 'streaming'")) {
                rs.next();
                if (rs.getInt(1) == 1) {
                    return;
                }
            }
            sleep(100);
        }
        throw new IllegalStateException("the replica did not start streaming within 30 s; see " + home);
    }

    private void pg(String program, String... args) throws IOException {
        run(bin, home, asPostgres, program, args);
    }

    /** Runs a server binary (as postgres when this JVM runs as root), failing with its output. */
    static void run(Path bin, Path home, boolean asPostgres, String program, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        if (asPostgres) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(args));
        Path log = home.resolve(program + ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(program + " did not finish within 120 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + program, e);
        }
        if (p.exitValue() != 0) {
            String out = Files.readString(log).strip();
            throw new IllegalStateException(program + " exited " + p.exitValue() + ": " + out.substring(Math.max(0, out.length() - 400)));
        }
    }

    static void append(Path file, String text) throws IOException {
        Files.writeString(file, Files.readString(file) + "\n" + text);
    }

    static Path binaries() {
        String env = System.getenv("REVERSO_PG_BIN");
        List<Path> candidates = new ArrayList<>();
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.sorted(Comparator.reverseOrder()).forEach(v -> candidates.add(v.resolve("bin")));
            } catch (IOException ignored) {
                // Then only the other places.
            }
        }
        try {
            Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (p.waitFor() == 0) {
                candidates.add(Path.of(out));
            }
        } catch (IOException | InterruptedException ignored) {
            // No pg_config on the PATH.
        }
        return candidates.stream().filter(d -> Stream.of("initdb", "pg_ctl", "pg_basebackup", "postgres")
                .allMatch(b -> Files.isExecutable(d.resolve(b)))).findFirst().orElse(null);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void run(DatabaseUrl url, String sql) {
        try (Connection c = new Database(url, "reverso-test").connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops both clusters (immediately: they are thrown away) and deletes their files. */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                pg("pg_ctl", "-D", started.get(i).toString(), "-m", "immediate", "-w", "stop");
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
