package dev.reverso.bench;

import dev.reverso.DatabaseUrl;
import dev.reverso.DownTarget;
import dev.reverso.Reverso;
import dev.reverso.ReversoConfig;
import dev.reverso.RunResult;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Times Reverso's {@code up} and {@code down --all} over N trivial migrations next to Flyway's
 * {@code migrate} over the same N files, on the same PostgreSQL server, each run on a fresh scratch
 * database. Prints a markdown report on stdout; progress goes to stderr.
 *
 * <p>Run it with {@code bench/run-up-down.sh [--count N] [--rounds R] [--warmup W] [--no-cli]}.
 * The server comes from {@code REVERSO_TEST_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}); the bench creates and drops
 * databases named {@code reverso_bench_*} on it.
 */
public final class UpDownBench {

    private static final String DEFAULT_SERVER = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final int count;
    private final int rounds;
    private final int warmup;
    private final boolean cli;
    private final DatabaseUrl server;
    /** The class path the CLI process gets: this JVM's, which holds reverso-cli and its libraries. */
    private final String classpath;
    private final String runId = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    private int dbSeq;

    /** One timed run: wall time and the CPU time the calling thread spent (client side, in this JVM). */
    record Sample(double wallMs, double cpuMs) {
    }

    /** Everything measured in one counted round. */
    static final class Round {
        int index;
        String order;
        Sample flywayUp;
        Sample floor;
        Sample reversoUp;
        Sample reversoDown;
        Double cliUpMs;
        Double cliDownMs;
        Double cliVersionMs;
    }

    private UpDownBench(int count, int rounds, int warmup, boolean cli, DatabaseUrl server, String classpath) {
        this.count = count;
        this.rounds = rounds;
        this.warmup = warmup;
        this.cli = cli;
        this.server = server;
        this.classpath = classpath;
    }

    public static void main(String[] args) throws Exception {
        int count = 1000;
        int rounds = 5;
        int warmup = 1;
        boolean cli = true;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "--count", "-n" -> count = Integer.parseInt(value != null ? value : args[++i]);
                case "--rounds", "-r" -> rounds = Integer.parseInt(value != null ? value : args[++i]);
                case "--warmup", "-w" -> warmup = Integer.parseInt(value != null ? value : args[++i]);
                case "--no-cli" -> cli = false;
                case "--help", "-h" -> {
                    System.out.println("usage: UpDownBench [--count N (1000)] [--rounds R (5)] [--warmup W (1)] [--no-cli]");
                    System.out.println("server: $REVERSO_TEST_URL, default " + DEFAULT_SERVER);
                    return;
                }
                default -> {
                    System.err.println("unknown argument: " + args[i] + " (try --help)");
                    System.exit(2);
                }
            }
        }
        if (count < 1 || rounds < 1 || warmup < 0) {
            System.err.println("--count and --rounds must be at least 1, --warmup at least 0");
            System.exit(2);
        }
        String env = System.getenv("REVERSO_TEST_URL");
        DatabaseUrl server = DatabaseUrl.parse(env == null || env.isBlank() ? DEFAULT_SERVER : env);
        String classpath = System.getProperty("java.class.path");
        if (cli) {
            try {
                Class.forName("dev.reverso.cli.Main", false, UpDownBench.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                System.err.println("bench: dev.reverso.cli.Main is not on the class path; skipping the CLI figures");
                cli = false;
            }
        }
        new UpDownBench(count, rounds, warmup, cli, server, classpath).run();
    }

    private void run() throws Exception {
        Path work = Files.createTempDirectory("reverso-bench-");
        Path reversoDir = work.resolve("reverso");
        Path flywayDir = work.resolve("flyway");
        try {
            writeMigrations(reversoDir, flywayDir);
            String loadAtStart = loadAverage();
            Map<String, String> machine = machine();
            List<Round> counted = new ArrayList<>();
            for (int r = 0; r < warmup + rounds; r++) {
                boolean isWarmup = r < warmup;
                Round round = round(r, reversoDir, flywayDir);
                String label = isWarmup ? "warm-up " + (r + 1) : "round " + (r - warmup + 1);
                System.err.printf(Locale.ROOT, "bench: %s (%s): flyway up %.0f ms, jdbc floor %.0f ms, reverso up %.0f ms, reverso down %.0f ms%s%n",
                        label, round.order, round.flywayUp.wallMs, round.floor.wallMs, round.reversoUp.wallMs, round.reversoDown.wallMs,
                        round.cliUpMs == null ? "" : String.format(Locale.ROOT, ", cli up %.0f ms, cli down %.0f ms",
                                round.cliUpMs, round.cliDownMs));
                if (!isWarmup) {
                    round.index = r - warmup + 1;
                    counted.add(round);
                }
            }
            machine.put("Load average (1, 5, 15 min) at start / end", loadAtStart + " / " + loadAverage());
            report(machine, counted);
        } finally {
            deleteTree(work);
        }
    }

    // ---------------------------------------------------------------- migrations

    private void writeMigrations(Path reversoDir, Path flywayDir) throws IOException {
        Files.createDirectories(reversoDir);
        Files.createDirectories(flywayDir);
        for (int i = 1; i <= count; i++) {
            String table = String.format(Locale.ROOT, "bench_t%04d", i);
            String up = "create table " + table + " (id int primary key, note text);\n";
            String down = "drop table " + table + ";\n";
            String name = String.format(Locale.ROOT, "%04d_create_%s", i, table);
            Files.writeString(reversoDir.resolve(name + ".up.sql"), up);
            Files.writeString(reversoDir.resolve(name + ".down.sql"), down);
            Files.writeString(flywayDir.resolve("V" + i + "__create_" + table + ".sql"), up);
        }
    }

    // ---------------------------------------------------------------- one round

    private Round round(int r, Path reversoDir, Path flywayDir) throws Exception {
        Round round = new Round();
        boolean flywayFirst = r % 2 == 0;
        round.order = flywayFirst ? "Flyway, JDBC, Reverso" : "Reverso, JDBC, Flyway";
        if (flywayFirst) {
            round.flywayUp = flyway(flywayDir);
            round.floor = floor(flywayDir);
            reverso(round, reversoDir);
        } else {
            reverso(round, reversoDir);
            round.floor = floor(flywayDir);
            round.flywayUp = flyway(flywayDir);
        }
        if (cli) {
            cli(round, reversoDir);
        }
        return round;
    }

    private Sample flyway(Path dir) throws SQLException {
        String db = createDatabase();
        try {
            String url = urlOf(db);
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            MigrateResult result = Flyway.configure()
                    .dataSource(url, null, null)
                    .locations("filesystem:" + dir)
                    .loggers("slf4j")
                    .load()
                    .migrate();
            long t1 = System.nanoTime();
            long cpu1 = THREADS.getCurrentThreadCpuTime();
            check(result.migrationsExecuted == count, "Flyway executed " + result.migrationsExecuted + " migrations, not " + count);
            check(benchTables(db) == count, "Flyway left " + benchTables(db) + " bench tables, not " + count);
            return new Sample((t1 - t0) / 1e6, (cpu1 - cpu0) / 1e6);
        } finally {
            dropDatabase(db);
        }
    }

    /**
     * The floor no tool can beat: the same N statements sent one by one on one plain JDBC
     * connection in autocommit, with no bookkeeping at all (reading the files included).
     */
    private Sample floor(Path flywayDir) throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(flywayDir)) {
            files = list.sorted(Comparator.comparingInt(p -> {
                String n = p.getFileName().toString();
                return Integer.parseInt(n.substring(1, n.indexOf("__")));
            })).toList();
        }
        String db = createDatabase();
        try {
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            try (Connection c = DriverManager.getConnection(urlOf(db)); Statement st = c.createStatement()) {
                for (Path f : files) {
                    st.execute(Files.readString(f));
                }
            }
            long t1 = System.nanoTime();
            long cpu1 = THREADS.getCurrentThreadCpuTime();
            check(benchTables(db) == count, "the JDBC floor left " + benchTables(db) + " bench tables, not " + count);
            return new Sample((t1 - t0) / 1e6, (cpu1 - cpu0) / 1e6);
        } finally {
            dropDatabase(db);
        }
    }

    private void reverso(Round round, Path dir) throws SQLException {
        String db = createDatabase();
        try {
            DatabaseUrl url = DatabaseUrl.parse(urlOf(db));
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            RunResult up = Reverso.with(ReversoConfig.of(url, dir)).up(Optional.empty());
            long t1 = System.nanoTime();
            long cpu1 = THREADS.getCurrentThreadCpuTime();
            check(up.migrations().size() == count, "Reverso applied " + up.migrations().size() + " migrations, not " + count);
            check(benchTables(db) == count, "Reverso up left " + benchTables(db) + " bench tables, not " + count);
            round.reversoUp = new Sample((t1 - t0) / 1e6, (cpu1 - cpu0) / 1e6);

            long cpu2 = THREADS.getCurrentThreadCpuTime();
            long t2 = System.nanoTime();
            RunResult down = Reverso.with(ReversoConfig.of(url, dir)).down(new DownTarget.All());
            long t3 = System.nanoTime();
            long cpu3 = THREADS.getCurrentThreadCpuTime();
            check(down.migrations().size() == count, "Reverso rolled back " + down.migrations().size() + " migrations, not " + count);
            check(benchTables(db) == 0, "Reverso down left " + benchTables(db) + " bench tables");
            round.reversoDown = new Sample((t3 - t2) / 1e6, (cpu3 - cpu2) / 1e6);
        } finally {
            dropDatabase(db);
        }
    }

    /**
     * The command line as a separate process, started the way bin/reverso starts it ({@code java -cp
     * JARS dev.reverso.cli.Main ARGS}): JVM start, class loading and picocli included.
     */
    private void cli(Round round, Path dir) throws Exception {
        round.cliVersionMs = process(List.of("--version"));
        String db = createDatabase();
        try {
            String url = urlOf(db);
            round.cliUpMs = process(List.of("--url", url, "--dir", dir.toString(), "up"));
            check(benchTables(db) == count, "reverso up (CLI) left " + benchTables(db) + " bench tables, not " + count);
            round.cliDownMs = process(List.of("--url", url, "--dir", dir.toString(), "down", "--all"));
            check(benchTables(db) == 0, "reverso down --all (CLI) left " + benchTables(db) + " bench tables");
        } finally {
            dropDatabase(db);
        }
    }

    private double process(List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(classpath);
        command.add("dev.reverso.cli.Main");
        command.addAll(args);
        Path out = Files.createTempFile("reverso-bench-cli-", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            long t0 = System.nanoTime();
            Process p = pb.start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("reverso " + String.join(" ", args) + " ran over 10 minutes");
            }
            long t1 = System.nanoTime();
            String log = Files.readString(out);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("reverso " + String.join(" ", args) + " exited " + p.exitValue() + ":\n" + tail(log));
            }
            return (t1 - t0) / 1e6;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    // ---------------------------------------------------------------- scratch databases

    private Connection serverConnection() throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(), credentials());
    }

    private java.util.Properties credentials() {
        java.util.Properties props = new java.util.Properties();
        if (server.user() != null) {
            props.setProperty("user", server.user());
        }
        if (server.password() != null) {
            props.setProperty("password", server.password());
        }
        return props;
    }

    private String createDatabase() throws SQLException {
        String name = "reverso_bench_" + runId + "_" + (++dbSeq);
        try (Connection c = serverConnection(); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        }
        return name;
    }

    private void dropDatabase(String name) {
        try (Connection c = serverConnection(); Statement s = c.createStatement()) {
            s.execute("drop database if exists " + name + " with (force)");
        } catch (SQLException e) {
            System.err.println("bench: could not drop database " + name + ": " + e.getMessage());
        }
    }

    /** The server's JDBC URL pointed at another database, with any credentials moved into the query. */
    String urlOf(String db) {
        String jdbc = server.jdbcUrl();
        int q = jdbc.indexOf('?');
        String base = q < 0 ? jdbc : jdbc.substring(0, q);
        String query = q < 0 ? "" : jdbc.substring(q + 1);
        int slash = base.indexOf('/', "jdbc:postgresql://".length());
        String hostPart = slash < 0 ? base : base.substring(0, slash);
        StringBuilder url = new StringBuilder(hostPart).append('/').append(db);
        List<String> params = new ArrayList<>();
        if (!query.isEmpty()) {
            params.add(query);
        }
        if (server.user() != null) {
            params.add("user=" + URLEncoder.encode(server.user(), StandardCharsets.UTF_8));
        }
        if (server.password() != null) {
            params.add("password=" + URLEncoder.encode(server.password(), StandardCharsets.UTF_8));
        }
        if (!params.isEmpty()) {
            url.append('?').append(String.join("&", params));
        }
        return url.toString();
    }

    private int benchTables(String db) throws SQLException {
        try (Connection c = DriverManager.getConnection(urlOf(db)); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from pg_tables where tablename like 'bench\\_t%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    // ---------------------------------------------------------------- report

    private Map<String, String> machine() throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("CPU", cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores (nproc)");
        m.put("Memory", memTotal());
        m.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version") + " (" + System.getProperty("os.arch") + ")");
        try (Connection c = serverConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select version(), current_setting('fsync'), current_setting('synchronous_commit'), "
                     + "current_setting('shared_buffers')")) {
            rs.next();
            m.put("PostgreSQL", rs.getString(1) + " (fsync=" + rs.getString(2) + ", synchronous_commit=" + rs.getString(3)
                    + ", shared_buffers=" + rs.getString(4) + ")");
        }
        m.put("Server", server.display() + " (same host as the bench)");
        m.put("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vendor") + ")");
        m.put("Flyway", flywayVersion() + " (Community, from Maven Central)");
        m.put("PostgreSQL JDBC", org.postgresql.Driver.class.getPackage().getImplementationVersion() + "");
        return m;
    }

    private static String flywayVersion() {
        try (var in = Flyway.class.getResourceAsStream("/org/flywaydb/core/internal/version.txt")) {
            if (in != null) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
        } catch (IOException ignored) {
            // fall through
        }
        return String.valueOf(Flyway.class.getPackage().getImplementationVersion());
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

    private static String memTotal() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
            return lines.filter(l -> l.startsWith("MemTotal:")).findFirst()
                    .map(l -> {
                        long kb = Long.parseLong(l.replaceAll("[^0-9]", ""));
                        return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
                    }).orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private void report(Map<String, String> machine, List<Round> rs) {
        StringBuilder o = new StringBuilder();
        o.append("## Reverso vs Flyway: up/down of ").append(count).append(" trivial migrations\n\n");
        o.append("Each migration: `create table bench_tNNNN (id int primary key, note text);` (down: `drop table bench_tNNNN;`).\n");
        o.append("The plain JDBC floor sends the same N statements one by one on one connection, autocommit, no bookkeeping.\n");
        o.append("Every run on a fresh scratch database; ").append(warmup).append(" warm-up round(s) not counted; ")
                .append(rounds).append(" counted round(s); the first tool alternates each round.\n\n");
        o.append("### Machine\n\n");
        machine.forEach((k, v) -> o.append("- ").append(k).append(": ").append(v).append('\n'));

        o.append("\n### In-process (library API, same JVM), wall time in ms\n\n");
        o.append("| round | order | Flyway `migrate` | plain JDBC floor | Reverso `up` | Flyway / Reverso | Reverso `down --all` |\n");
        o.append("|---:|---|---:|---:|---:|---:|---:|\n");
        for (Round r : rs) {
            o.append(String.format(Locale.ROOT, "| %d | %s | %.0f | %.0f | %.0f | %.2f | %.0f |%n", r.index, r.order,
                    r.flywayUp.wallMs, r.floor.wallMs, r.reversoUp.wallMs, r.flywayUp.wallMs / r.reversoUp.wallMs,
                    r.reversoDown.wallMs));
        }
        double[] fw = rs.stream().mapToDouble(r -> r.flywayUp.wallMs).toArray();
        double[] fl = rs.stream().mapToDouble(r -> r.floor.wallMs).toArray();
        double[] ru = rs.stream().mapToDouble(r -> r.reversoUp.wallMs).toArray();
        double[] rd = rs.stream().mapToDouble(r -> r.reversoDown.wallMs).toArray();
        double[] perRound = rs.stream().mapToDouble(r -> r.flywayUp.wallMs / r.reversoUp.wallMs).toArray();
        o.append(String.format(Locale.ROOT, "| **median** | | **%.0f** | **%.0f** | **%.0f** | **%.2f** | **%.0f** |%n",
                median(fw), median(fl), median(ru), median(fw) / median(ru), median(rd)));
        o.append(String.format(Locale.ROOT, "| min | | %.0f | %.0f | %.0f | %.2f | %.0f |%n",
                min(fw), min(fl), min(ru), min(fw) / min(ru), min(rd)));
        o.append("\nThe ratio column of the median and min rows divides the medians (mins) of the two columns. ")
                .append(String.format(Locale.ROOT, "Median of the per-round ratios: %.2f.%n", median(perRound)));

        o.append(String.format(Locale.ROOT, "%n**Up ratio (Flyway median / Reverso median): %.2fx** (%s; goal: at least 2x).%n",
                median(fw) / median(ru), median(fw) >= median(ru) ? "Reverso faster" : "Reverso slower"));
        o.append(String.format(Locale.ROOT, "Per migration (median): Flyway %.2f ms, Reverso up %.2f ms, Reverso down %.2f ms.%n",
                median(fw) / count, median(ru) / count, median(rd) / count));
        o.append(String.format(Locale.ROOT,
                "Above the plain JDBC floor (median, same round): Flyway +%.0f ms, Reverso up +%.0f ms "
                        + "(floor: %.2f ms per `create table`).%n",
                median(rs.stream().mapToDouble(r -> r.flywayUp.wallMs - r.floor.wallMs).toArray()),
                median(rs.stream().mapToDouble(r -> r.reversoUp.wallMs - r.floor.wallMs).toArray()),
                median(fl) / count));
        o.append(String.format(Locale.ROOT,
                "Client CPU of the calling thread (median): Flyway %.0f ms, plain JDBC %.0f ms, Reverso up %.0f ms, Reverso down %.0f ms "
                        + "(the rest of the wall time is waiting on the server and the network round trips).%n",
                median(rs.stream().mapToDouble(r -> r.flywayUp.cpuMs).toArray()),
                median(rs.stream().mapToDouble(r -> r.floor.cpuMs).toArray()),
                median(rs.stream().mapToDouble(r -> r.reversoUp.cpuMs).toArray()),
                median(rs.stream().mapToDouble(r -> r.reversoDown.cpuMs).toArray())));

        if (cli) {
            o.append("\n### Command line as a process (JVM start included), wall time in ms\n\n");
            o.append("Started as bin/reverso starts it: `java -cp JARS dev.reverso.cli.Main --url URL --dir DIR up` "
                    + "(resp. `down --all`), on its own fresh scratch database.\n\n");
            o.append("| round | `reverso --version` (start-up only) | `reverso up` | `reverso down --all` |\n");
            o.append("|---:|---:|---:|---:|\n");
            for (Round r : rs) {
                o.append(String.format(Locale.ROOT, "| %d | %s | %s | %s |%n", r.index, ms(r.cliVersionMs), ms(r.cliUpMs), ms(r.cliDownMs)));
            }
            double[] cv = finite(rs.stream().mapToDouble(r -> r.cliVersionMs).toArray());
            double[] cu = finite(rs.stream().mapToDouble(r -> r.cliUpMs).toArray());
            double[] cd = finite(rs.stream().mapToDouble(r -> r.cliDownMs).toArray());
            o.append(String.format(Locale.ROOT, "| **median** | **%s** | **%s** | **%s** |%n", ms(median(cv)), ms(median(cu)), ms(median(cd))));
            o.append(String.format(Locale.ROOT, "| min | %s | %s | %s |%n", ms(min(cv)), ms(min(cu)), ms(min(cd))));
            if (cu.length > 0) {
                o.append(String.format(Locale.ROOT,
                        "%nFlyway in-process median / CLI `reverso up` median: %.2fx (not like for like: the CLI pays a cold JVM).%n",
                        median(fw) / median(cu)));
            }
        }
        System.out.print(o);
        System.out.flush();
    }

    private static String ms(Double v) {
        return v == null || v.isNaN() ? "n/a" : String.format(Locale.ROOT, "%.0f", v);
    }

    private static double[] finite(double[] xs) {
        return java.util.Arrays.stream(xs).filter(x -> !Double.isNaN(x)).toArray();
    }

    static double median(double[] xs) {
        if (xs.length == 0) {
            return Double.NaN;
        }
        double[] s = xs.clone();
        java.util.Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
    }

    static double min(double[] xs) {
        return java.util.Arrays.stream(xs).min().orElse(Double.NaN);
    }

    // ---------------------------------------------------------------- helpers

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException("bench: " + message);
        }
    }

    private static String tail(String log) {
        String[] lines = log.split("\n");
        int from = Math.max(0, lines.length - 20);
        return String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length));
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
