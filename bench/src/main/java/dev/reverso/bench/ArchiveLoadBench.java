package dev.reverso.bench;

import dev.reverso.DatabaseUrl;
import dev.reverso.DownTarget;
import dev.reverso.Reverso;
import dev.reverso.ReversoConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What archiving and restoring cost the application (issue 14): under a steady write load
 * ({@link OpsBench.Load}: N connections updating random rows of {@code accounts} by id at a paced
 * rate), the load's worst latency and failed transactions during
 * <ul>
 *   <li>a window in which nothing changes (the yardstick, measured in the same run),</li>
 *   <li>{@code up} of {@code ALTER TABLE accounts DROP COLUMN note} with the archive on, and its {@code down},</li>
 *   <li>{@code complete} of an {@code alter_column} changing the type, one setting NOT NULL with an
 *       {@code up}, one adding a CHECK whose {@code up} rewrites the values, and a {@code drop_column}
 *       (start and the backfill are not what is measured here),</li>
 * </ul>
 * each on a fresh table, at each size asked for. Prints markdown on stdout, progress on stderr.
 *
 * <p>Run it with {@code bench/run-archive-load.sh [--rows 1000000,5000000] [--clients 4] [--rate 2000] [--only peer,sql,type,notnull,check,drop]}.
 * Server: {@code REVERSO_TEST_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres});
 * it creates and drops a database named {@code reverso_archiveload_*}.
 */
public final class ArchiveLoadBench {

    private static final String DEFAULT_SERVER = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    private static final double NS = 1e9;
    /** How far above the no-change window's worst latency a change may go (issue 14's goal). */
    private static final double ALLOWED_MS = 50;

    private final List<Integer> sizes;
    private final int clients;
    private final int rate;
    private final DatabaseUrl server;
    private DatabaseUrl db;
    private final List<String> rows = new ArrayList<>();
    private final java.util.Set<String> only;
    /** Reverso's events with the moment each arrived, to name what ran when the load's slowest transaction started. */
    private final List<Object[]> timeline = java.util.Collections.synchronizedList(new ArrayList<>());
    private final dev.reverso.Event.Listener events = e -> timeline.add(new Object[] {System.nanoTime(), e.toString()});

    private ArchiveLoadBench(List<Integer> sizes, int clients, int rate, java.util.Set<String> only, DatabaseUrl server) {
        this.sizes = sizes;
        this.only = only;
        this.clients = clients;
        this.rate = rate;
        this.server = server;
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = List.of(1_000_000, 5_000_000);
        int clients = 4;
        int rate = 2000;
        java.util.Set<String> only = java.util.Set.of();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> sizes = Stream.of(args[++i].split(",")).map(Integer::parseInt).toList();
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--only" -> only = java.util.Set.of(args[++i].split(","));
                default -> {
                    System.err.println("unknown option " + args[i] + " (--rows N[,N...], --clients C, --rate TX_PER_S,"
                            + " --only peer,sql,type,notnull,check,drop)");
                    System.exit(2);
                }
            }
        }
        String env = System.getenv("REVERSO_TEST_URL");
        new ArchiveLoadBench(sizes, clients, rate, only, DatabaseUrl.parse(env != null && !env.isBlank() ? env : DEFAULT_SERVER)).run();
    }

    private void run() throws Exception {
        String name = "reverso_archiveload_" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
        try (Connection c = connect(server); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        }
        db = server.withDatabase(name);
        try {
            for (int size : sizes) {
                scenarios(size);
            }
        } finally {
            try (Connection c = connect(server); Statement s = c.createStatement()) {
                s.execute("drop database if exists " + name + " with (force)");
            }
        }
        System.out.printf(Locale.ROOT, "Load: %d connections updating random rows by id, paced at %,d tx/s in all;"
                + " PostgreSQL %s; load average at the end %s.%n%n", clients, rate, serverVersion(), loadAverage());
        System.out.println("| rows | what | took (s) | load tx | failed | p99 (ms) | worst (ms) | no-change worst (ms) | within +50 ms |");
        System.out.println("|---:|---|---:|---:|---:|---:|---:|---:|---|");
        rows.forEach(System.out::println);
    }

    private void scenarios(int size) throws Exception {
        reset(size);
        double quiet = window(size, "no change (8 s of the load alone)", () -> Thread.sleep(8000), Double.NaN);

        if (wanted("peer")) {
            window(size, "peer: the note column copied by hand, 2,000 keys per INSERT (no Reverso)", () -> handCopy(), quiet);
            reset(size);
        }
        if (wanted("sql")) {
            sqlDropAndDown(size, quiet);
        }
        if (wanted("type")) {
            complete(size, "complete: alter_column type (note to varchar(200))", quiet, """
                    {"operations": [{"alter_column": {"table": "accounts", "column": "note", "type": "varchar(200)",
                      "up": "note", "down": "note"}}]}""");
        }
        if (wanted("notnull")) {
            complete(size, "complete: alter_column NOT NULL with up", quiet, """
                    {"operations": [{"alter_column": {"table": "accounts", "column": "note", "nullable": false,
                      "up": "coalesce(note, '')", "down": "note"}}]}""");
        }
        if (wanted("check")) {
            complete(size, "complete: alter_column CHECK with up (values rewritten)", quiet, """
                    {"operations": [{"alter_column": {"table": "accounts", "column": "note",
                      "check": {"name": "note_short", "constraint": "length(note) <= 8"},
                      "up": "left(note, 8)", "down": "note"}}]}""");
        }
        if (wanted("drop")) {
            complete(size, "complete: drop_column note", quiet, """
                    {"operations": [{"drop_column": {"table": "accounts", "column": "note", "down": "''"}}]}""");
        }
    }

    /**
     * What any tool pays to keep a column's values elsewhere: the same key-and-value copy Reverso
     * makes ahead of a DROP COLUMN (keyed side table, batches of 2,000 keys, autocommit), written
     * by hand, so the load's worst latency during Reverso's copy can be read against the I/O of the copy itself.
     */
    private void handCopy() throws SQLException {
        try (Connection c = connect(db); Statement s = c.createStatement()) {
            s.execute("create table side_copy as select id, note from accounts with no data");
            s.execute("alter table side_copy add primary key (id)");
            long last = 0;
            while (true) {
                try (ResultSet rs = s.executeQuery("with b as (select id, note from accounts where id > " + last
                        + " order by id limit 2000), i as (insert into side_copy select * from b) select max(id) from b")) {
                    rs.next();
                    long max = rs.getLong(1);
                    if (rs.wasNull()) {
                        break;
                    }
                    last = max;
                }
            }
        }
    }

    private boolean wanted(String scenario) {
        return only.isEmpty() || only.contains(scenario);
    }

    /** up of an archived DROP COLUMN, then its down, each under the load. */
    private void sqlDropAndDown(int size, double quiet) throws Exception {
        Path dir = Files.createTempDirectory("reverso-archiveload-");
        try {
            Files.writeString(dir.resolve("0001_drop_note.up.sql"), "alter table accounts drop column note;\n");
            Files.writeString(dir.resolve("0001_drop_note.down.sql"), "alter table accounts add column note text;\n");
            Reverso sql = Reverso.with(ReversoConfig.of(db, dir).withListener(events));
            window(size, "up: DROP COLUMN note, archived", () -> sql.up(Optional.empty()), quiet);
            String kept = value("select row_count from reverso.archives order by id desc limit 1");
            window(size, "down: ADD COLUMN note, values put back", () -> sql.down(new DownTarget.Count(1)), quiet);
            String back = value("select count(*) from accounts where note = 'note ' || id");
            System.err.printf(Locale.ROOT, "bench:   archived %s values, %s back as they were%n", kept, back);
        } finally {
            deleteAll(dir);
        }
    }

    /** A fresh table, an operation migration started on it, then its complete measured under the load. */
    private void complete(int size, String what, double quiet, String document) throws Exception {
        reset(size);
        Path dir = Files.createTempDirectory("reverso-archiveload-");
        try {
            Files.writeString(dir.resolve("0001_change.json"), document);
            Reverso ops = Reverso.with(ReversoConfig.of(db, dir).withListener(events));
            ops.start("1");
            window(size, what, ops::complete, quiet);
        } finally {
            deleteAll(dir);
        }
    }

    @FunctionalInterface
    private interface Change {
        void run() throws Exception;
    }

    /** Runs the change under the load (after it settled) and records the load's figures during it; returns the worst latency. */
    private double window(int size, String what, Change change, double quiet) throws Exception {
        System.err.println("bench: " + size + " rows / " + what);
        OpsBench.Load load = OpsBench.Load.start(() -> connect(db), clients, rate, size);
        OpsBench.Stats during;
        double took;
        try {
            load.settle();
            long c0 = System.nanoTime();
            change.run();
            long c1 = System.nanoTime();
            Thread.sleep(500);
            load.stop();
            during = load.stats(c0, c1);
            took = (c1 - c0) / NS;
        } finally {
            load.stop();
        }
        boolean yardstick = Double.isNaN(quiet);
        rows.add(String.format(Locale.ROOT, "| %,d | %s | %.2f | %,d | %d | %.1f | %.1f | %s | %s |", size, what, took, during.tx(),
                during.failed(), during.p99Ms(), during.maxMs(), yardstick ? "" : String.format(Locale.ROOT, "%.1f", quiet),
                yardstick ? "" : during.maxMs() <= quiet + ALLOWED_MS && during.failed() == 0 ? "yes" : "**no**"));
        String at = "before Reverso's first event";
        synchronized (timeline) {
            for (Object[] e : timeline) {
                if ((long) e[0] <= during.maxStart()) {
                    at = (String) e[1];
                }
            }
            timeline.clear();
        }
        System.err.printf(Locale.ROOT, "bench:   %.2f s, worst %.1f ms, p99 %.1f ms, %d failed; the slowest began during: %s%n",
                took, during.maxMs(), during.p99Ms(), during.failed(), at.length() > 300 ? at.substring(0, 300) : at);
        return during.maxMs();
    }

    /** The table every scenario starts from, as OpsBench's: no bloat, no leftovers, analyzed, a checkpoint after. */
    private void reset(int size) throws SQLException {
        long t0 = System.nanoTime();
        try (Connection c = connect(db); Statement s = c.createStatement()) {
            s.execute("drop schema if exists reverso cascade");
            s.execute("drop schema if exists reverso_archive cascade");
            s.execute("do $$ declare s text; begin for s in select nspname from pg_namespace where nspname like 'public\\_%'"
                    + " loop execute format('drop schema %I cascade', s); end loop; end $$");
            s.execute("drop table if exists accounts, side_copy cascade");
            s.execute("create table accounts (id bigint primary key, owner_id bigint not null, balance numeric not null,"
                    + " note text, created_at timestamptz not null default now())");
            s.execute("insert into accounts (id, owner_id, balance, note) select g, 1 + g % 10000, (g % 1000)::numeric,"
                    + " 'note ' || g from generate_series(1, " + size + ") g");
            s.execute("vacuum analyze accounts");
            s.execute("checkpoint");
        }
        System.err.printf(Locale.ROOT, "bench: table reset (%,d rows) in %.1f s%n", size, (System.nanoTime() - t0) / NS);
    }

    private String value(String sql) throws SQLException {
        try (Connection c = connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private String serverVersion() throws SQLException {
        try (Connection c = connect(server); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("show server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static void deleteAll(Path dir) throws java.io.IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    private Connection connect(DatabaseUrl url) throws SQLException {
        return OpsBench.connect(url, "reverso-archiveload");
    }
}
