package dev.reverso.bench;

import dev.reverso.DatabaseUrl;
import dev.reverso.DownTarget;
import dev.reverso.Reverso;
import dev.reverso.ReversoConfig;
import dev.reverso.archive.ArchiveEntry;
import dev.reverso.archive.Archiving;
import org.flywaydb.core.Flyway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The cost of archiving (issue 5): a DROP COLUMN on a 1M-row table applied by Flyway, by Reverso
 * with {@code --no-archive} and by Reverso archiving the column, each on a fresh copy of the same
 * table, in alternating order over several rounds; then the size of the archive next to the
 * column's, and the time of the rollback that puts every value back (checked by checksum).
 *
 * <p>Run it with {@code bench/run-archive.sh [--rows N] [--rounds R]}. Server: {@code REVERSO_TEST_URL}
 * (default {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}); it creates and drops a
 * database named {@code reverso_archivebench_*}.
 */
public final class ArchiveBench {

    private static final String DEFAULT_SERVER = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    private final int rows;
    private final int rounds;
    private final DatabaseUrl server;
    private DatabaseUrl db;

    private ArchiveBench(int rows, int rounds, DatabaseUrl server) {
        this.rows = rows;
        this.rounds = rounds;
        this.server = server;
    }

    public static void main(String[] args) throws Exception {
        int rows = 1_000_000;
        int rounds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> rows = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--rows N, --rounds R)");
            }
        }
        String env = System.getenv("REVERSO_TEST_URL");
        new ArchiveBench(rows, rounds, DatabaseUrl.parse(env != null && !env.isBlank() ? env : DEFAULT_SERVER)).run();
    }

    private record Round(double flywayMs, double plainMs, double archiveMs, double rollbackMs, long archiveBytes,
                         long columnBytes, long tableBytes, boolean restored) { }

    private void run() throws Exception {
        String name = "reverso_archivebench_" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
        try (Connection c = connect(server); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        }
        db = server.withDatabase(name);
        try {
            sql("create table accounts_src as select g::bigint as id, 'user' || g || '@example.com' as email,"
                    + " md5(g::text) as note, (g % 1000)::int as balance from generate_series(1, " + rows + ") g");
            List<Round> results = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                results.add(round(r));
                System.err.println("bench: round " + (r + 1) + " of " + rounds + ": " + results.get(r));
            }
            report(results);
        } finally {
            try (Connection c = connect(server); Statement s = c.createStatement()) {
                s.execute("drop database if exists " + name + " with (force)");
            }
        }
    }

    private Round round(int r) throws Exception {
        double flyway = 0;
        double plain = 0;
        double archived = 0;
        // Alternate the order, so that neither always runs on a warmer cache.
        String[] order = r % 2 == 0 ? new String[] {"flyway", "plain", "archive"} : new String[] {"archive", "plain", "flyway"};
        long archiveBytes = 0;
        long columnBytes = 0;
        long tableBytes = 0;
        double rollback = 0;
        boolean restored = false;
        for (String what : order) {
            fresh();
            switch (what) {
                case "flyway" -> flyway = flyway();
                case "plain" -> plain = reverso(false);
                default -> {
                    columnBytes = longValue("select sum(pg_column_size(email)) from accounts");
                    tableBytes = longValue("select pg_total_relation_size('accounts')");
                    String before = value("select md5(string_agg(id || ':' || email, ',' order by id)) from accounts");
                    archived = reverso(true);
                    Reverso reverso = reverso(true, dir("archive"));
                    archiveBytes = reverso.archive().stream().mapToLong(ArchiveEntry::bytes).sum();
                    long t0 = System.nanoTime();
                    reverso.down(new DownTarget.Count(1));
                    rollback = (System.nanoTime() - t0) / 1e6;
                    restored = before.equals(value("select md5(string_agg(id || ':' || email, ',' order by id)) from accounts"));
                }
            }
        }
        return new Round(flyway, plain, archived, rollback, archiveBytes, columnBytes, tableBytes, restored);
    }

    private void fresh() throws SQLException {
        sql("drop table if exists accounts; drop schema if exists reverso cascade; drop schema if exists reverso_archive cascade;"
                + " drop table if exists flyway_schema_history");
        sql("create table accounts as select * from accounts_src; alter table accounts add primary key (id)");
        sql("vacuum analyze accounts; checkpoint");
    }

    private double flyway() throws Exception {
        Path dir = Files.createTempDirectory("archivebench-flyway");
        Files.writeString(dir.resolve("V1__drop_email.sql"), "alter table accounts drop column email;\n");
        long t0 = System.nanoTime();
        Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).locations("filesystem:" + dir)
                .loggers("slf4j").baselineOnMigrate(true).baselineVersion("0").load().migrate();
        return (System.nanoTime() - t0) / 1e6;
    }

    private double reverso(boolean archive) throws Exception {
        Reverso reverso = reverso(archive, dir(archive ? "archive" : "plain"));
        reverso.init();
        long t0 = System.nanoTime();
        reverso.up(Optional.empty());
        return (System.nanoTime() - t0) / 1e6;
    }

    private Reverso reverso(boolean archive, Path dir) {
        return Reverso.with(ReversoConfig.of(db, dir).withArchive(archive ? Archiving.BOUNDED : Archiving.OFF));
    }

    private Path dir(String name) throws Exception {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "archivebench-" + name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("0001_drop_email.up.sql"), "alter table accounts drop column email;\n");
        Files.writeString(dir.resolve("0001_drop_email.down.sql"), "alter table accounts add column email text;\n");
        return dir;
    }

    private void report(List<Round> rs) {
        StringBuilder o = new StringBuilder();
        o.append("| round | Flyway (ms) | Reverso --no-archive (ms) | Reverso, archived (ms) | archived / not | rollback with restore (ms)"
                + " | archive size | column's values | table before | every value back |\n");
        o.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (int i = 0; i < rs.size(); i++) {
            Round r = rs.get(i);
            o.append(String.format("| %d | %.0f | %.0f | %.0f | %.2f× | %.0f | %s | %s | %s | %s |%n", i + 1, r.flywayMs(), r.plainMs(),
                    r.archiveMs(), r.archiveMs() / r.plainMs(), r.rollbackMs(), mb(r.archiveBytes()), mb(r.columnBytes()),
                    mb(r.tableBytes()), r.restored() ? "yes" : "NO"));
        }
        System.out.print(o);
    }

    private static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1048576.0);
    }

    private void sql(String sql) throws SQLException {
        try (Connection c = connect(db); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private String value(String sql) throws SQLException {
        try (Connection c = connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private long longValue(String sql) throws SQLException {
        return Long.parseLong(value(sql));
    }

    private static Connection connect(DatabaseUrl url) throws SQLException {
        Properties props = new Properties();
        if (url.user() != null) {
            props.setProperty("user", url.user());
        }
        if (url.password() != null) {
            props.setProperty("password", url.password());
        }
        props.setProperty("ApplicationName", "reverso-archivebench");
        return DriverManager.getConnection(url.jdbcUrl(), props);
    }
}
