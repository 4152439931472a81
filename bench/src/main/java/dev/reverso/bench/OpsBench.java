package dev.reverso.bench;

import dev.reverso.DatabaseUrl;
import dev.reverso.Event;
import dev.reverso.Reverso;
import dev.reverso.ReversoConfig;
import dev.reverso.ops.BackfillSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Operation migrations under a steady write load (issue 4): for add_column NOT NULL with a
 * backfill, alter_column changing a type, and a foreign key, the naive single statement and
 * Reverso's expand/contract, each on a fresh 1M-row table while N connections update random rows
 * by id at a paced total rate. Every load transaction's latency and outcome is recorded; the
 * report gives, per scenario, the total time, the backfill rate and the load's max / p99 latency
 * and failed transactions during the change, and for Reverso the load's mean latency while the
 * dual-write trigger is live against before. Baselines on the same run: one whole-table UPDATE
 * and hand-written 1k-row key-range batches. Prints markdown on stdout, progress on stderr.
 *
 * <p>Run it with {@code bench/run-ops.sh [--rows N] [--clients C] [--rate TX_PER_S] [--hold S]
 * [--batch N] [--only a,b]}. Server: {@code REVERSO_TEST_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}); the bench creates and drops a
 * database named {@code reverso_opsbench_*}.
 */
public final class OpsBench {

    private static final String DEFAULT_SERVER = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    private static final double NS = 1e9;

    private final int rows;
    private final int clients;
    private final int rate;
    private final Duration hold;
    private final Integer batch;
    private final Set<String> only;
    private int rateRounds = 3;
    private final DatabaseUrl server;
    private DatabaseUrl db;
    private final List<Result> results = new ArrayList<>();
    private final StringBuilder details = new StringBuilder();
    private final Map<String, List<Double>> rates = new LinkedHashMap<>();

    private OpsBench(int rows, int clients, int rate, Duration hold, Integer batch, Set<String> only, DatabaseUrl server) {
        this.rows = rows;
        this.clients = clients;
        this.rate = rate;
        this.hold = hold;
        this.batch = batch;
        this.only = only;
        this.server = server;
    }

    public static void main(String[] args) throws Exception {
        int rows = 1_000_000;
        int clients = 4;
        int rate = 2000;
        int holdS = 8;
        Integer batch = null;
        Set<String> only = Set.of();
        int rateRounds = 3;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "--rows" -> rows = Integer.parseInt(value != null ? value : args[++i]);
                case "--clients" -> clients = Integer.parseInt(value != null ? value : args[++i]);
                case "--rate" -> rate = Integer.parseInt(value != null ? value : args[++i]);
                case "--hold" -> holdS = Integer.parseInt(value != null ? value : args[++i]);
                case "--batch" -> batch = Integer.parseInt(value != null ? value : args[++i]);
                case "--rate-rounds" -> rateRounds = Integer.parseInt(value != null ? value : args[++i]);
                case "--only" -> only = Set.of((value != null ? value : args[++i]).split(","));
                case "--help", "-h" -> {
                    System.out.println("usage: OpsBench [--rows N (1000000)] [--clients C (4)] [--rate TX/S (2000)]"
                            + " [--hold S (8)] [--batch N (Reverso's default)] [--rate-rounds R (3)] [--only add,type,rates,fk]");
                    return;
                }
                default -> {
                    System.err.println("unknown argument: " + args[i] + " (try --help)");
                    System.exit(2);
                }
            }
        }
        String env = System.getenv("REVERSO_TEST_URL");
        DatabaseUrl server = DatabaseUrl.parse(env == null || env.isBlank() ? DEFAULT_SERVER : env);
        OpsBench bench = new OpsBench(rows, clients, rate, Duration.ofSeconds(holdS), batch, only, server);
        bench.rateRounds = rateRounds;
        bench.run();
    }

    private boolean wanted(String group) {
        return only.isEmpty() || only.contains(group);
    }

    // ---------------------------------------------------------------- the run

    private void run() throws Exception {
        String name = "reverso_opsbench_" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
        String loadStart = loadAverage();
        try (Connection c = connect(server); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        }
        db = server.withDatabase(name);
        long t0 = System.nanoTime();
        try {
            warmUp();
            if (wanted("add") || wanted("baseline")) {
                naive("add_column", "naive: ADD COLUMN score bigint NOT NULL DEFAULT (random()*1e6)::bigint (volatile: rewrite)",
                        "alter table accounts add column score bigint not null default (random() * 1e6)::bigint");
                naiveBackfill();
                handBatches();
            }
            if (wanted("add")) {
                reverso("add_column", "0001_add_score.json", """
                        {"name": "0001_add_score", "operations": [
                          {"add_column": {"table": "accounts", "up": "(balance * 2)::bigint",
                            "column": {"name": "score", "type": "bigint", "nullable": false}}}]}""");
            }
            if (wanted("type")) {
                naive("alter_column type", "naive: ALTER COLUMN note TYPE varchar(200)",
                        "alter table accounts alter column note type varchar(200)");
                reverso("alter_column type", "0001_note_varchar.json", """
                        {"name": "0001_note_varchar", "operations": [
                          {"alter_column": {"table": "accounts", "column": "note", "type": "varchar(200)",
                            "up": "note", "down": "note"}}]}""");
            }
            if (wanted("rates")) {
                rates(rateRounds);
            }
            if (wanted("fk")) {
                naive("foreign key", "naive: ADD FOREIGN KEY (owner_id) REFERENCES owners, validated",
                        "alter table accounts add constraint accounts_owner_fk foreign key (owner_id) references owners (id)");
                reverso("foreign key", "0001_owner_fk.json", """
                        {"name": "0001_owner_fk", "operations": [
                          {"create_constraint": {"table": "accounts", "name": "accounts_owner_fk", "type": "foreign_key",
                            "columns": ["owner_id"], "references": {"table": "owners", "columns": ["id"]}}}]}""");
            }
        } finally {
            try (Connection c = connect(server); Statement s = c.createStatement()) {
                s.execute("drop database if exists " + name + " with (force)");
            } catch (SQLException e) {
                System.err.println("bench: could not drop database " + name + ": " + e.getMessage());
            }
        }
        report(loadStart, loadAverage(), (System.nanoTime() - t0) / NS);
    }

    /**
     * Loads and compiles Reverso's start/complete path once, on a small table, so that the first
     * scenario does not pay class loading and JIT in the JVM the load's clients also run in.
     */
    private void warmUp() throws Exception {
        try (Connection c = connect(db); Statement s = c.createStatement()) {
            s.execute("create table accounts (id bigint primary key, balance numeric not null, note text);"
                    + " insert into accounts select g, g, 'n' || g from generate_series(1, 20000) g");
        }
        Path dir = Files.createTempDirectory("reverso-opsbench-warm-");
        Files.writeString(dir.resolve("0001_warm.json"), """
                {"operations": [{"add_column": {"table": "accounts", "up": "(balance * 2)::bigint",
                  "column": {"name": "score", "type": "bigint", "nullable": false}}},
                  {"alter_column": {"table": "accounts", "column": "note", "type": "varchar(200)", "up": "note", "down": "note"}}]}""");
        Reverso reverso = Reverso.with(ReversoConfig.of(db, dir));
        reverso.start("1");
        reverso.complete();
        Files.delete(dir.resolve("0001_warm.json"));
        Files.delete(dir);
        System.err.println("bench: warmed up Reverso's start/complete on 20,000 rows");
    }

    /** The table every scenario starts from, built afresh: no bloat, no leftovers, a checkpoint after. */
    private void reset() throws SQLException {
        long t0 = System.nanoTime();
        try (Connection c = connect(db); Statement s = c.createStatement()) {
            s.execute("drop schema if exists reverso cascade");
            // The archive goes with the history that indexes it: ids start again at 1 in a new history,
            // and an archive table left from an earlier scenario would take the name of the next one.
            s.execute("drop schema if exists reverso_archive cascade");
            s.execute("do $$ declare s text; begin for s in select nspname from pg_namespace where nspname like 'public\\_%'"
                    + " loop execute format('drop schema %I cascade', s); end loop; end $$");
            s.execute("drop table if exists accounts, owners cascade");
            s.execute("create table owners (id bigint primary key, name text not null)");
            s.execute("insert into owners select g, 'owner ' || g from generate_series(1, 10000) g");
            s.execute("create table accounts (id bigint primary key, owner_id bigint not null, balance numeric not null,"
                    + " note text, created_at timestamptz not null default now())");
            s.execute("insert into accounts (id, owner_id, balance, note) select g, 1 + g % 10000, (g % 1000)::numeric,"
                    + " 'note ' || g from generate_series(1, " + rows + ") g");
            s.execute("vacuum analyze owners");
            s.execute("vacuum analyze accounts");
            s.execute("checkpoint");
        }
        System.err.printf(Locale.ROOT, "bench: table reset (%,d rows) in %.1f s, load average %s%n", rows,
                (System.nanoTime() - t0) / NS, loadAverage());
    }

    /** One naive statement (or several in one session) under the load. */
    private void naive(String op, String what, String... sql) throws Exception {
        reset();
        System.err.println("bench: " + op + " / " + what);
        Load load = Load.start(this);
        try {
            load.settle();
            long c0 = System.nanoTime();
            try (Connection c = connect(db); Statement s = c.createStatement()) {
                for (String q : sql) {
                    s.execute(q);
                }
            }
            long c1 = System.nanoTime();
            Thread.sleep(1000);
            load.stop();
            Result r = new Result(op, what, load);
            r.change(c0, c1);
            results.add(r);
        } finally {
            load.stop();
        }
    }

    /** ADD COLUMN (nullable), one UPDATE of every row, SET NOT NULL: the one-statement backfill. */
    private void naiveBackfill() throws Exception {
        reset();
        String what = "naive: ADD COLUMN score bigint; one UPDATE of all rows; SET NOT NULL";
        System.err.println("bench: add_column / " + what);
        Load load = Load.start(this);
        try {
            load.settle();
            long c0 = System.nanoTime();
            long u0;
            long u1;
            int n;
            try (Connection c = connect(db); Statement s = c.createStatement()) {
                s.execute("alter table accounts add column score bigint");
                u0 = System.nanoTime();
                n = s.executeUpdate("update accounts set score = (balance * 2)::bigint");
                u1 = System.nanoTime();
                s.execute("alter table accounts alter column score set not null");
            }
            long c1 = System.nanoTime();
            Thread.sleep(1000);
            load.stop();
            Result r = new Result("add_column", what, load);
            r.change(c0, c1);
            r.backfill(n, u0, u1);
            r.baseline = "one UPDATE";
            results.add(r);
        } finally {
            load.stop();
        }
    }

    /** ADD COLUMN (nullable), key-range batches of 1,000 rows, each its own transaction; NOT NULL by a validated check. */
    private void handBatches() throws Exception {
        reset();
        String what = "hand-written: ADD COLUMN; UPDATE in 1k-row key-range batches; CHECK NOT VALID, VALIDATE, SET NOT NULL";
        System.err.println("bench: add_column / " + what);
        Load load = Load.start(this);
        try {
            load.settle();
            long c0 = System.nanoTime();
            long u0;
            long u1;
            long n = 0;
            int batches = 0;
            try (Connection c = connect(db); Statement s = c.createStatement()) {
                s.execute("set lock_timeout = '100ms'");
                s.execute("alter table accounts add column score bigint");
                u0 = System.nanoTime();
                try (PreparedStatement ps = c.prepareStatement(
                        "update accounts set score = (balance * 2)::bigint where id > ? and id <= ?")) {
                    for (long from = 0; from < rows; from += 1000) {
                        ps.setLong(1, from);
                        ps.setLong(2, from + 1000);
                        n += ps.executeUpdate();
                        batches++;
                    }
                }
                u1 = System.nanoTime();
                s.execute("alter table accounts add constraint score_nn check (score is not null) not valid");
                s.execute("alter table accounts validate constraint score_nn");
                s.execute("alter table accounts alter column score set not null");
                s.execute("alter table accounts drop constraint score_nn");
            }
            long c1 = System.nanoTime();
            Thread.sleep(1000);
            load.stop();
            Result r = new Result("add_column", what, load);
            r.change(c0, c1);
            r.backfill(n, u0, u1);
            r.baseline = "1k batches";
            r.note = String.format(Locale.ROOT, "%d batches, %.2f ms each", batches, (u1 - u0) / 1e6 / batches);
            results.add(r);
        } finally {
            load.stop();
        }
    }

    /**
     * Backfill rates without the load, the methods interleaved round by round (the machine is
     * shared, and its speed drifts by 2x over minutes): each fill starts from the same compacted
     * table (VACUUM FULL), fills a new bigint column from balance, and is undone.
     */
    private void rates(int rounds) throws Exception {
        reset();
        System.err.println("bench: backfill rates without load, " + rounds + " rounds");
        List<String> methods = List.of("one UPDATE", "hand-written 1k batches", "Reverso, batch 1,000", "Reverso, batch 10,000");
        for (int round = 0; round < rounds; round++) {
            for (int m = 0; m < methods.size(); m++) {
                String method = methods.get((m + round) % methods.size());
                try (Connection c = connect(db); Statement s = c.createStatement()) {
                    s.execute("vacuum full accounts");
                    s.execute("analyze accounts");
                    s.execute("checkpoint");
                }
                double seconds;
                if (method.startsWith("Reverso")) {
                    seconds = reversoFill(method.endsWith("10,000") ? 10_000 : 1_000);
                } else {
                    try (Connection c = connect(db); Statement s = c.createStatement()) {
                        s.execute("alter table accounts add column score bigint");
                        long t0 = System.nanoTime();
                        if (method.equals("one UPDATE")) {
                            s.executeUpdate("update accounts set score = (balance * 2)::bigint");
                        } else {
                            try (PreparedStatement ps = c.prepareStatement(
                                    "update accounts set score = (balance * 2)::bigint where id > ? and id <= ?")) {
                                for (long from = 0; from < rows; from += 1000) {
                                    ps.setLong(1, from);
                                    ps.setLong(2, from + 1000);
                                    ps.executeUpdate();
                                }
                            }
                        }
                        seconds = (System.nanoTime() - t0) / NS;
                        s.execute("alter table accounts drop column score");
                    }
                }
                rates.computeIfAbsent(method, k -> new ArrayList<>()).add(rows / seconds);
                System.err.printf(Locale.ROOT, "bench:   round %d, %s: %,.0f rows/s (load average %s)%n", round + 1, method,
                        rows / seconds, loadAverage());
            }
        }
    }

    /** Reverso's start of add_column (its backfill timed from its events), then rollback. */
    private double reversoFill(int batchSize) throws Exception {
        Path dir = Files.createTempDirectory("reverso-opsbench-");
        Files.writeString(dir.resolve("0001_add_score.json"), """
                {"operations": [{"add_column": {"table": "accounts", "up": "(balance * 2)::bigint",
                  "column": {"name": "score", "type": "bigint", "nullable": false}}}]}""");
        Events events = new Events();
        Reverso reverso = Reverso.with(ReversoConfig.of(db, dir).withListener(events)
                .withBackfill(new BackfillSettings(batchSize, Duration.ZERO)));
        reverso.start("1");
        reverso.rollback();
        try (Connection c = connect(db); Statement s = c.createStatement()) {
            s.execute("drop schema reverso cascade");
        }
        Files.delete(dir.resolve("0001_add_score.json"));
        Files.delete(dir);
        return (events.backfillEnd - events.backfillStart) / NS;
    }

    /** Reverso's start, the dual-write trigger live for the hold time, then complete. */
    private void reverso(String op, String file, String document) throws Exception {
        reset();
        Path dir = Files.createTempDirectory("reverso-opsbench-");
        Files.writeString(dir.resolve(file), document);
        String what = "Reverso: " + file.replaceAll("^\\d+_|\\.json$", "") + " (start, " + hold.toSeconds() + " s live, complete)";
        System.err.println("bench: " + op + " / " + what);
        Events events = new Events();
        ReversoConfig config = ReversoConfig.of(db, dir).withListener(events);
        if (batch != null) {
            config = config.withBackfill(new BackfillSettings(batch, Duration.ZERO));
        }
        Reverso reverso = Reverso.with(config);
        Load load = Load.start(this);
        try {
            load.settle();
            long s0 = System.nanoTime();
            reverso.start("1");
            long s1 = System.nanoTime();
            events.end();
            long h0 = System.nanoTime();
            Thread.sleep(1000);
            double[] probe = op.equals("foreign key") ? null : triggerProbe();
            long rest = hold.toMillis() - (System.nanoTime() - h0) / 1_000_000;
            if (rest > 0) {
                Thread.sleep(rest);
            }
            long k0 = System.nanoTime();
            reverso.complete();
            long k1 = System.nanoTime();
            events.end();
            Thread.sleep(1000);
            long a0 = System.nanoTime();
            Thread.sleep(5000);
            long a1 = System.nanoTime();
            load.stop();
            Result r = new Result(op, what, load);
            r.change(s0, k1);
            r.reverso(s0, s1, k0, k1);
            r.after = load.stats(a0, a1);
            r.probe = probe;
            r.maxAt = String.format(Locale.ROOT, "slowest load tx (%.1f ms) started %.2f s into the change, during: %s",
                    r.during.maxMs(), (r.during.maxStart() - s0) / NS, events.at(r.during.maxStart()));
            System.err.println("bench:   " + r.maxAt);
            if (events.backfillRows > 0) {
                r.backfill(events.backfillRows, events.backfillStart, events.backfillEnd);
            }
            r.retries = events.retries;
            results.add(r);
            details.append("\n").append(op).append(" / ").append(what).append(": ").append(r.maxAt).append("; steps (ms):\n\n");
            for (String line : events.steps) {
                details.append("- ").append(line).append('\n');
            }
        } finally {
            load.stop();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /**
     * The dual-write trigger's cost to a write, measured apart from the load's noise: one more
     * connection sends single-row updates of random rows, alternating blocks with the trigger
     * (as the load's writes run) and blocks with {@code reverso.backfill = on}, which makes the
     * trigger's WHEN clause skip its body (the clause itself is still evaluated).
     *
     * @return mean ms per update with the trigger, without it
     */
    private double[] triggerProbe() throws SQLException {
        double[] sum = new double[2];
        int[] n = new int[2];
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try (Connection c = connect(db); Statement st = c.createStatement();
             PreparedStatement ps = c.prepareStatement("update accounts set balance = balance + 1 where id = ?")) {
            for (int round = 0; round < 12; round++) {
                int skip = round % 2;
                st.execute(skip == 1 ? "set reverso.backfill = on" : "reset reverso.backfill");
                for (int i = 0; i < 150; i++) {
                    ps.setLong(1, 1 + random.nextInt(rows));
                    long t0 = System.nanoTime();
                    ps.executeUpdate();
                    long t1 = System.nanoTime();
                    if (i >= 10) {
                        sum[skip] += (t1 - t0) / 1e6;
                        n[skip]++;
                    }
                }
            }
        }
        System.err.printf(Locale.ROOT, "bench:   trigger probe: %.3f ms with the trigger, %.3f ms without%n", sum[0] / n[0],
                sum[1] / n[1]);
        return new double[] {sum[0] / n[0], sum[1] / n[1]};
    }

    /** Step timings and backfill progress as Reverso reports them. */
    private static final class Events implements Event.Listener {
        final List<String> steps = new ArrayList<>();
        final List<long[]> marks = new ArrayList<>();
        final List<String> labels = new ArrayList<>();
        long backfillStart;
        long backfillEnd;
        long backfillRows;
        int retries;
        private String current;
        private long currentStart;

        @Override
        public synchronized void on(Event e) {
            long now = System.nanoTime();
            if (e instanceof Event.PhaseStep p) {
                close(now);
                current = p.phase() + " " + p.step() + "/" + p.of() + ": " + p.what();
                currentStart = now;
                marks.add(new long[] {now});
                labels.add(current);
                if (p.what().startsWith("backfill ")) {
                    backfillStart = now;
                }
            } else if (e instanceof Event.BackfillProgress b) {
                backfillEnd = now;
                backfillRows = b.rows();
            } else if (e instanceof Event.LockRetry l) {
                retries++;
                System.err.println("bench:   lock retry " + l.attempt() + " on " + l.summary() + " (timeout " + l.lockTimeout().toMillis()
                        + " ms)");
            }
        }

        /** The last step of a phase ends when the phase returns. */
        synchronized void end() {
            close(System.nanoTime());
        }

        /** The step that was running at a moment, or "between steps". */
        synchronized String at(long t) {
            String found = "before the first step";
            for (int i = 0; i < marks.size(); i++) {
                if (marks.get(i)[0] <= t) {
                    found = labels.get(i);
                }
            }
            return found;
        }

        private void close(long now) {
            if (current != null) {
                marks.add(new long[] {now});
                labels.add("(between steps, after " + current + ")");
                String line = String.format(Locale.ROOT, "%s: %.1f", current, (now - currentStart) / 1e6);
                steps.add(line);
                System.err.println("bench:   " + line);
                current = null;
            }
        }
    }

    // ---------------------------------------------------------------- the load

    /** Clients updating random rows by id at a paced total rate; every transaction recorded. */
    static final class Load {
        final AtomicBoolean running = new AtomicBoolean(true);
        final List<Thread> threads = new ArrayList<>();
        final List<Samples> samples = new ArrayList<>();
        final long started = System.nanoTime();
        final List<String> errors = new ArrayList<>();
        private boolean stopped;

        static Load start(OpsBench b) throws SQLException {
            return start(() -> b.connect(b.db), b.clients, b.rate, b.rows);
        }

        /** A connection for one client. */
        @FunctionalInterface
        interface Connector {
            Connection connect() throws SQLException;
        }

        /** {@code clients} connections updating random rows of {@code accounts} (ids 1 to {@code rows}) at {@code rate} tx/s in all. */
        static Load start(Connector connector, int clients, int rate, int rows) throws SQLException {
            Load load = new Load();
            long interval = (long) (clients * NS / rate);
            for (int i = 0; i < clients; i++) {
                Connection c = connector.connect();
                Samples s = new Samples();
                load.samples.add(s);
                Thread t = new Thread(() -> load.client(c, s, interval, rows), "load-" + i);
                t.setDaemon(true);
                load.threads.add(t);
                t.start();
            }
            return load;
        }

        /** Warm-up (1 s, not counted) then a 5 s window of the load alone. */
        void settle() throws InterruptedException {
            Thread.sleep(6000);
        }

        private void client(Connection c, Samples s, long interval, int rows) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            long next = System.nanoTime() + random.nextLong(interval);
            try (c; PreparedStatement ps = c.prepareStatement("update accounts set balance = balance + 1 where id = ?")) {
                while (running.get()) {
                    long now = System.nanoTime();
                    if (next > now) {
                        LockSupport.parkNanos(next - now);
                    }
                    long t0 = System.nanoTime();
                    boolean ok = true;
                    try {
                        ps.setLong(1, 1 + random.nextInt(rows));
                        ps.executeUpdate();
                    } catch (SQLException e) {
                        ok = false;
                        synchronized (errors) {
                            if (errors.size() < 20) {
                                errors.add(e.getSQLState() + " " + e.getMessage());
                            }
                        }
                    }
                    long t1 = System.nanoTime();
                    s.add(t0, t1, ok);
                    next += interval;
                    // After a stall, catch up by at most 50 ms of backlog rather than in one burst.
                    if (next < t1 - 50_000_000L) {
                        next = t1;
                    }
                }
            } catch (SQLException e) {
                synchronized (errors) {
                    errors.add("client died: " + e.getMessage());
                }
            }
        }

        void stop() throws InterruptedException {
            if (stopped) {
                return;
            }
            stopped = true;
            running.set(false);
            for (Thread t : threads) {
                t.join(30_000);
            }
            if (!errors.isEmpty()) {
                System.err.println("bench:   load errors: " + errors);
            }
        }

        /** Transactions whose run overlaps [from, to]. */
        Stats stats(long from, long to) {
            int failed = 0;
            int n = 0;
            double[] lat = new double[0];
            long worst = -1;
            long maxStart = 0;
            for (Samples s : samples) {
                for (int i = 0; i < s.n; i++) {
                    if (s.end[i] >= from && s.start[i] <= to) {
                        if (lat.length == n) {
                            lat = Arrays.copyOf(lat, Math.max(1024, n * 2));
                        }
                        lat[n++] = (s.end[i] - s.start[i]) / 1e6;
                        if (s.end[i] - s.start[i] > worst) {
                            worst = s.end[i] - s.start[i];
                            maxStart = s.start[i];
                        }
                        if (!s.ok[i]) {
                            failed++;
                        }
                    }
                }
            }
            lat = Arrays.copyOf(lat, n);
            Arrays.sort(lat);
            double sum = 0;
            for (double v : lat) {
                sum += v;
            }
            return new Stats(n, failed, n == 0 ? 0 : sum / n, pct(lat, 0.99), n == 0 ? 0 : lat[n - 1], n / ((to - from) / NS),
                    maxStart);
        }

        private static double pct(double[] sorted, double p) {
            if (sorted.length == 0) {
                return 0;
            }
            int i = (int) Math.ceil(p * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(i, sorted.length - 1))];
        }
    }

    /** One client's transactions, read only after the client stopped. */
    static final class Samples {
        long[] start = new long[4096];
        long[] end = new long[4096];
        boolean[] ok = new boolean[4096];
        int n;

        void add(long s, long e, boolean good) {
            if (n == start.length) {
                start = Arrays.copyOf(start, n * 2);
                end = Arrays.copyOf(end, n * 2);
                ok = Arrays.copyOf(ok, n * 2);
            }
            start[n] = s;
            end[n] = e;
            ok[n] = good;
            n++;
        }
    }

    /** @param maxStart when the slowest transaction started (System.nanoTime) */
    record Stats(int tx, int failed, double meanMs, double p99Ms, double maxMs, double txPerS, long maxStart) {
    }

    /** What one scenario measured. */
    static final class Result {
        final String op;
        final String what;
        final Load load;
        Stats before;
        Stats during;
        double totalS;
        long backfillRows;
        double backfillRate;
        double backfillS;
        String baseline;
        String note = "";
        final String loadAvg = loadAverage().split(" ")[0];
        double startS;
        double completeS;
        Stats startStats;
        Stats live;
        Stats completeStats;
        int retries;
        Stats after;
        double[] probe;
        String maxAt;

        Result(String op, String what, Load load) {
            this.op = op;
            this.what = what;
            this.load = load;
        }

        void change(long c0, long c1) {
            before = load.stats(load.started + 1_000_000_000L, c0 - 1);
            during = load.stats(c0, c1);
            totalS = (c1 - c0) / NS;
        }

        void backfill(long n, long b0, long b1) {
            backfillRows = n;
            backfillS = (b1 - b0) / NS;
            backfillRate = n / backfillS;
        }

        void reverso(long s0, long s1, long k0, long k1) {
            startS = (s1 - s0) / NS;
            completeS = (k1 - k0) / NS;
            totalS = startS + completeS;
            startStats = load.stats(s0, s1);
            live = load.stats(s1, k0);
            completeStats = load.stats(k0, k1);
            // "During the change" is start and complete; the hold in between is reported as "live".
            Stats a = startStats;
            Stats b = completeStats;
            int tx = a.tx() + b.tx();
            during = new Stats(tx, a.failed() + b.failed(), tx == 0 ? 0 : (a.meanMs() * a.tx() + b.meanMs() * b.tx()) / tx,
                    Math.max(a.p99Ms(), b.p99Ms()), Math.max(a.maxMs(), b.maxMs()), tx / totalS,
                    a.maxMs() >= b.maxMs() ? a.maxStart() : b.maxStart());
        }
    }

    // ---------------------------------------------------------------- report

    private void report(String loadStart, String loadEnd, double wallS) throws SQLException {
        StringBuilder o = new StringBuilder();
        o.append("## Operation migrations under write load\n\n");
        o.append(String.format(Locale.ROOT, "%,d rows in `accounts`; load: %d connections, `update accounts set balance ="
                + " balance + 1 where id = $random` (autocommit), paced at %,d tx/s in total. Reverso holds the started"
                + " state %d s before complete. Backfill batch size: %s.%n%n", rows, clients, rate, hold.toSeconds(),
                batch == null ? "Reverso's default (" + BackfillSettings.defaults().batchSize() + ")" : batch.toString()));
        o.append("Machine: ").append(cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores; ").append(serverVersion()).append("; Java ").append(System.getProperty("java.runtime.version"))
                .append("; load average ").append(loadStart).append(" at the start, ").append(loadEnd).append(" at the end; ")
                .append(String.format(Locale.ROOT, "%.0f s in all.%n%n", wallS));

        o.append("| op | what | total s | backfill rows/s | max ms | p99 ms | failed tx | load tx/s before | mean ms before |"
                + " mean ms during | max ms before (no change running) | load avg |\n");
        o.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            o.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %s | %.1f | %.1f | %d | %.0f | %.2f | %.2f | %.1f | %s |%n", r.op, r.what,
                    r.totalS, r.backfillRows > 0 ? String.format(Locale.ROOT, "%,.0f", r.backfillRate) : "—", r.during.maxMs(),
                    r.during.p99Ms(), r.during.failed(), r.before.txPerS(), r.before.meanMs(), r.during.meanMs(),
                    r.before.maxMs(), r.loadAvg));
        }
        o.append("\nReverso, phase by phase (load during each; \"live\" is the hold between start and complete, the"
                + " dual-write trigger in place and the backfill done):\n\n");
        o.append("| op | start s | max / p99 ms | complete s | max / p99 ms | lock retries | backfill rows | backfill s |"
                + " load mean ms before / live / after | live / after | probe ms with / without trigger | probe ratio |"
                + " failed tx (whole run) |\n");
        o.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            if (r.live == null) {
                continue;
            }
            Stats all = r.load.stats(r.load.started, Long.MAX_VALUE);
            o.append(String.format(Locale.ROOT, "| %s | %.2f | %.1f / %.1f | %.2f | %.1f / %.1f | %d | %,d | %.2f |"
                            + " %.2f / %.2f / %.2f | %.2fx | %s | %s | %d |%n", r.op, r.startS, r.startStats.maxMs(),
                    r.startStats.p99Ms(), r.completeS, r.completeStats.maxMs(), r.completeStats.p99Ms(), r.retries, r.backfillRows,
                    r.backfillS, r.before.meanMs(), r.live.meanMs(), r.after.meanMs(), r.live.meanMs() / r.after.meanMs(),
                    r.probe == null ? "no trigger" : String.format(Locale.ROOT, "%.3f / %.3f", r.probe[0], r.probe[1]),
                    r.probe == null ? "—" : String.format(Locale.ROOT, "%.2fx", r.probe[0] / r.probe[1]), all.failed()));
        }
        o.append("\nBackfill rates (rows/s; under the same load):\n\n");
        o.append("| backfill | rows | s | rows/s | vs one UPDATE | note |\n|---|---:|---:|---:|---:|---|\n");
        double whole = results.stream().filter(r -> "one UPDATE".equals(r.baseline)).mapToDouble(r -> r.backfillRate).findFirst()
                .orElse(Double.NaN);
        for (Result r : results) {
            if (r.backfillRows == 0) {
                continue;
            }
            o.append(String.format(Locale.ROOT, "| %s | %,d | %.2f | %,.0f | %.0f %% | %s |%n", r.baseline != null ? r.baseline
                    : "Reverso " + r.op, r.backfillRows, r.backfillS, r.backfillRate, 100 * r.backfillRate / whole, r.note));
        }
        if (!rates.isEmpty()) {
            o.append("\nBackfill rates without the load (rows/s), methods interleaved, each fill on the same compacted table:\n\n");
            o.append("| method | rounds | median rows/s | min | max | median vs one UPDATE |\n|---|---:|---:|---:|---:|---:|\n");
            double ref = median(rates.getOrDefault("one UPDATE", List.of(Double.NaN)));
            rates.forEach((m, xs) -> o.append(String.format(Locale.ROOT, "| %s | %d | %,.0f | %,.0f | %,.0f | %.0f %% |%n", m, xs.size(),
                    median(xs), xs.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                    xs.stream().mapToDouble(Double::doubleValue).max().orElse(0), 100 * median(xs) / ref)));
        }
        o.append(details);
        System.out.print(o);
    }

    private static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length == 0 ? Double.NaN : a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    private String serverVersion() throws SQLException {
        try (Connection c = connect(server); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select current_setting('server_version'), current_setting('shared_buffers'),"
                     + " current_setting('synchronous_commit')")) {
            rs.next();
            return "PostgreSQL " + rs.getString(1) + " (shared_buffers=" + rs.getString(2) + ", synchronous_commit="
                    + rs.getString(3) + ")";
        }
    }

    private Connection connect(DatabaseUrl url) throws SQLException {
        return connect(url, "reverso-opsbench");
    }

    /** A plain JDBC connection to {@code url}, named {@code application} in pg_stat_activity. */
    static Connection connect(DatabaseUrl url, String application) throws SQLException {
        Properties props = new Properties();
        if (url.user() != null) {
            props.setProperty("user", url.user());
        }
        if (url.password() != null) {
            props.setProperty("password", url.password());
        }
        props.setProperty("ApplicationName", application);
        return DriverManager.getConnection(url.jdbcUrl(), props);
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
