package dev.reverso.bench;

import dev.reverso.Database;
import dev.reverso.DatabaseUrl;
import dev.reverso.Event;
import dev.reverso.Reverso;
import dev.reverso.ReversoConfig;
import dev.reverso.ReversoException;
import dev.reverso.history.Ledger;
import dev.reverso.monitor.Monitor;
import dev.reverso.monitor.MonitorSettings;
import dev.reverso.monitor.ThresholdAction;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live monitor's own cost and how fast it acts (issue 6).
 *
 * <p>Overhead: pgbench's TPC-B-like load (scale 10) in rounds of {@code --seconds}, alternating
 * no monitor, the monitor at its default 1 s interval, and at 100 ms (ten times the queries), on a
 * scratch database. The monitor watches an idle session that stands in for the migration, so each
 * look runs all of its queries. Reported: TPS per round and the mean per setting, and the
 * monitor's look time (Sample.took).
 *
 * <p>Reaction: {@code --runs} times, a migration takes ACCESS EXCLUSIVE on a table and keeps it
 * (pg_sleep) under {@code --max-blocking 1s}; after a random 0-1 s offset against the monitor's
 * sampling clock, an application session starts a read on the table. Reported: from the read's
 * start to the monitor's cancel, and to the read's completion (the lock released), min / median /
 * max.
 *
 * <p>Run it with {@code bench/run-monitor.sh [--seconds S] [--rounds R] [--runs N]}. Server:
 * {@code REVERSO_TEST_URL}; pgbench: {@code PGBENCH} or /usr/lib/postgresql/15/bin/pgbench.
 */
public final class MonitorBench {

    private static final String DEFAULT_SERVER = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    private final DatabaseUrl server;
    private final DatabaseUrl db;
    private final String name;

    private MonitorBench(DatabaseUrl server, String name) {
        this.server = server;
        this.name = name;
        this.db = server.withDatabase(name);
    }

    public static void main(String[] args) throws Exception {
        int seconds = 20;
        int rounds = 3;
        int runs = 10;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: MonitorBench [--seconds S (20)] [--rounds R (3)] [--runs N (10)]");
                    System.exit(2);
                }
            }
        }
        String env = System.getenv("REVERSO_TEST_URL");
        DatabaseUrl server = DatabaseUrl.parse(env == null || env.isBlank() ? DEFAULT_SERVER : env);
        MonitorBench bench = new MonitorBench(server, "reverso_monitorbench_" + Long.toString(System.nanoTime() & 0xffffff, 36));
        bench.onServer("create database " + bench.name);
        try {
            bench.overhead(seconds, rounds);
            bench.reaction(runs);
        } finally {
            bench.onServer("drop database if exists " + bench.name + " with (force)");
        }
    }

    private void overhead(int seconds, int rounds) throws Exception {
        pgbench("-i", "-s", "10", "-q");
        Reverso.with(ReversoConfig.of(db, Path.of("."))).init();
        String[] settings = {"off", "1 s", "100 ms"};
        List<List<Double>> tps = new ArrayList<>();
        List<Double> looks = new ArrayList<>();
        for (int s = 0; s < settings.length; s++) {
            tps.add(new ArrayList<>());
        }
        System.err.printf(Locale.ROOT, "warm-up: %.0f tps%n", round("off", seconds, new ArrayList<>()));
        for (int r = 0; r < rounds; r++) {
            // Each round in another order, each run after a checkpoint: the machine's drift and the
            // checkpointer's writes fall on every setting alike.
            for (int k = 0; k < settings.length; k++) {
                int s = (r + k) % settings.length;
                double t = round(settings[s], seconds, looks);
                tps.get(s).add(t);
                System.err.printf(Locale.ROOT, "round %d, monitor %s: %.0f tps%n", r + 1, settings[s], t);
            }
        }
        System.out.println("### Monitor overhead: pgbench TPC-B-like, scale 10, 4 clients, 2 threads, " + seconds + " s rounds\n");
        System.out.println("| monitor | TPS per round | mean TPS | vs off |");
        System.out.println("|---|---|---|---|");
        double off = mean(tps.get(0));
        for (int s = 0; s < settings.length; s++) {
            System.out.printf(Locale.ROOT, "| %s | %s | %.0f | %+.1f %% |%n", settings[s], String.join(", ", tps.get(s).stream()
                    .map(v -> String.format(Locale.ROOT, "%.0f", v)).toList()), mean(tps.get(s)), 100 * (mean(tps.get(s)) / off - 1));
        }
        Collections.sort(looks);
        System.out.printf(Locale.ROOT, "%nOne look (all the monitor's queries, Sample.took) over %d looks: median %.2f ms,"
                + " p99 %.2f ms, max %.2f ms: at the 1 s interval the monitor's session is busy about %.1f %% of the time.%n%n",
                looks.size(), pct(looks, 50), pct(looks, 99), looks.get(looks.size() - 1), pct(looks, 50) / 10);
    }

    /** One pgbench round with the monitor as set, watching an idle session in place of a migration. */
    private double round(String setting, int seconds, List<Double> looks) throws Exception {
        try (Connection c = new Database(db, "bench").connect(); Statement st = c.createStatement()) {
            st.execute("checkpoint");
        }
        Duration interval = setting.equals("off") ? Duration.ZERO : setting.equals("1 s") ? Duration.ofSeconds(1) : Duration.ofMillis(100);
        try (Connection migration = new Database(db, "reverso").connect();
             Monitor monitor = Monitor.start(new Database(db, "reverso"), pid(migration),
                     MonitorSettings.defaults().withInterval(interval), e -> {
                         if (e instanceof Event.MonitorSample s) {
                             synchronized (looks) {
                                 looks.add(s.sample().took().toNanos() / 1e6);
                             }
                         }
                     }, Ledger.in("reverso", "bench").audit())) {
            String out = pgbench("-n", "-c", "4", "-j", "2", "-T", String.valueOf(seconds));
            Matcher m = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)").matcher(out);
            if (!m.find()) {
                throw new IllegalStateException("no tps in pgbench's output: " + out);
            }
            return Double.parseDouble(m.group(1));
        }
    }

    private void reaction(int runs) throws Exception {
        try (Connection c = new Database(db, "bench").connect(); Statement st = c.createStatement()) {
            st.execute("drop schema if exists reverso cascade; create table orders (id int primary key, total int);"
                    + " insert into orders select g, g from generate_series(1, 10000) g");
        }
        Path dir = Files.createTempDirectory("reverso-monitorbench");
        Files.writeString(dir.resolve("0001_hold.up.sql"), "alter table orders add column note text;\nselect pg_sleep(30);\n");
        List<Double> toCancel = new ArrayList<>();
        List<Double> toRelease = new ArrayList<>();
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            for (int r = 0; r < runs; r++) {
                long[] cancelledAt = new long[1];
                Reverso reverso = Reverso.with(ReversoConfig.of(db, dir).withMaxBlocking(Duration.ofSeconds(1)).withListener(e -> {
                    if (e instanceof Event.ThresholdReached t && t.action() instanceof ThresholdAction.Cancelled) {
                        cancelledAt[0] = System.nanoTime();
                    }
                }));
                Future<?> run = pool.submit(() -> reverso.up(Optional.empty()));
                awaitLock();
                Thread.sleep(ThreadLocalRandom.current().nextInt(1000));
                long start;
                try (Connection app = new Database(db, "shop").connect(); Statement st = app.createStatement()) {
                    start = System.nanoTime();
                    st.executeQuery("select count(*) from orders").close();
                }
                long released = System.nanoTime();
                try {
                    run.get(60, TimeUnit.SECONDS);
                    throw new IllegalStateException("the monitor did not cancel the migration");
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof ReversoException)) {
                        throw e;
                    }
                }
                toCancel.add((cancelledAt[0] - start) / 1e6);
                toRelease.add((released - start) / 1e6);
                System.err.printf(Locale.ROOT, "run %d: cancel after %.0f ms, read done after %.0f ms%n", r + 1,
                        toCancel.get(r), toRelease.get(r));
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println("### From a session starting to wait to the action, --max-blocking 1s, " + runs + " runs\n");
        System.out.println("| from the read's start to | min | median | max |");
        System.out.println("|---|---|---|---|");
        for (var row : List.of(List.of("the monitor's cancel", toCancel), List.of("the read's completion", toRelease))) {
            @SuppressWarnings("unchecked")
            List<Double> v = new ArrayList<>((List<Double>) row.get(1));
            Collections.sort(v);
            System.out.printf(Locale.ROOT, "| %s | %.0f ms | %.0f ms | %.0f ms |%n", row.get(0), v.get(0), pct(v, 50), v.get(v.size() - 1));
        }
    }

    private void awaitLock() throws SQLException, InterruptedException {
        for (int i = 0; i < 400; i++) {
            try (Connection c = new Database(db, "bench").connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select count(*) from pg_locks l join pg_stat_activity a on a.pid = l.pid"
                         + " where a.application_name = 'reverso' and l.relation = 'orders'::regclass"
                         + " and l.mode = 'AccessExclusiveLock' and l.granted")) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    return;
                }
            }
            Thread.sleep(25);
        }
        throw new IllegalStateException("the migration never locked orders");
    }

    private String pgbench(String... args) throws IOException, InterruptedException {
        String bin = System.getenv().getOrDefault("PGBENCH", "/usr/lib/postgresql/15/bin/pgbench");
        List<String> command = new ArrayList<>(List.of(bin, "-h", host(), "-p", String.valueOf(port()), "-U",
                db.user() == null ? "postgres" : db.user()));
        command.addAll(List.of(args));
        command.add(name);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("pgbench failed: " + out);
        }
        return out;
    }

    private String host() {
        Matcher m = Pattern.compile("//([^:/]+)").matcher(db.jdbcUrl());
        return m.find() ? m.group(1) : "127.0.0.1";
    }

    private int port() {
        Matcher m = Pattern.compile("//[^:/]+:(\\d+)").matcher(db.jdbcUrl());
        return m.find() ? Integer.parseInt(m.group(1)) : 5432;
    }

    private static int pid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private void onServer(String sql) throws SQLException {
        try (Connection c = new Database(server, "bench").connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    private static double pct(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
