package dev.reverso.cli;

import dev.reverso.Database;
import dev.reverso.DatabaseUrl;
import dev.reverso.ReversoException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * A guided tour for a newcomer: starts a throwaway PostgreSQL (zonky's embedded binaries, no
 * install needed) unless --url is given, creates a small application schema with data, writes
 * sample migrations, and runs the real commands against them, printing each one as it goes.
 */
@Command(name = "demo", description = {"Walk through what Reverso does on a sample application schema.",
    "Starts a throwaway PostgreSQL unless --url is given (then works in a new database reverso_demo on that server)."})
final class DemoCommand implements Callable<Integer> {

    private static final String DEMO_DB = "reverso_demo";

    @ParentCommand
    ReversoCommand root;

    @Override
    public Integer call() throws Exception {
        Terminal t = root.terminal;
        Path dir = Files.createTempDirectory("reverso-demo");
        if (root.url == null) {
            t.out().println(t.bold("Starting a throwaway PostgreSQL") + " (embedded binaries; nothing is installed)...");
            try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                    .setErrorRedirector(ProcessBuilder.Redirect.DISCARD)
                    .start()) {
                t.out().println("  listening on port " + pg.getPort());
                return tour(t, DatabaseUrl.parse(pg.getJdbcUrl("postgres", "postgres")), dir);
            }
        }
        DatabaseUrl server = DatabaseUrl.parse(root.url);
        DatabaseUrl demo = server.withDatabase(DEMO_DB);
        try (Connection c = connect(server)) {
            execute(c, "drop database if exists " + DEMO_DB + " with (force)");
            execute(c, "create database " + DEMO_DB);
        }
        try {
            return tour(t, demo, dir);
        } finally {
            try (Connection c = connect(server)) {
                execute(c, "drop database if exists " + DEMO_DB + " with (force)");
            }
        }
    }

    private int tour(Terminal t, DatabaseUrl target, Path dir) throws Exception {
        step(t, "1. A small application: users and orders, 20,000 rows");
        try (Connection c = connect(target)) {
            execute(c, "create table users (id bigint generated always as identity primary key, email text not null,"
                    + " name text not null, created_at timestamptz not null default now())");
            execute(c, "insert into users (email, name) select 'user' || g || '@example.com', 'User ' || g"
                    + " from generate_series(1, 10000) g");
            execute(c, "create table orders (id bigint generated always as identity primary key,"
                    + " user_id bigint not null references users, total numeric(10,2) not null)");
            execute(c, "insert into orders (user_id, total) select 1 + g % 10000, (g % 500) + 0.99 from generate_series(1, 10000) g");
        }
        writeMigrations(dir);
        t.out().println("Migrations written to " + dir + ":");
        try (var files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).sorted().forEach(f -> t.out().println("  " + f));
        }

        step(t, "2. Plan: every statement with its lock and transaction; the transactional ones dry-run and roll back");
        run(t, target, dir, "plan");

        step(t, "2b. Lint: a risky way to index and constrain orders.user_id, and its safe rewrite");
        Path risky = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-risky"));
        Path safe = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-safe"));
        Files.writeString(risky.resolve("0004_orders_user.up.sql"), "create index orders_user_idx on orders (user_id);\n"
                + "alter table orders add constraint orders_user_fk foreign key (user_id) references users (id);\n");
        Files.writeString(safe.resolve("0004_orders_user_idx.up.sql"), "set statement_timeout = '30min';\n"
                + "create index concurrently orders_user_idx on orders (user_id);\n");
        Files.writeString(safe.resolve("0005_orders_user_fk.up.sql"),
                "alter table orders add constraint orders_user_fk foreign key (user_id) references users (id) not valid;\n");
        Files.writeString(safe.resolve("0006_orders_user_fk_validate.up.sql"),
                "set statement_timeout = '30min';\nalter table orders validate constraint orders_user_fk;\n");
        run(t, target, dir, "lint", risky.toString());
        run(t, target, dir, "lint", safe.toString());
        deleteTree(risky);
        deleteTree(safe);

        step(t, "3. Apply the first two (the index is built CONCURRENTLY, step by step outside a transaction)");
        run(t, target, dir, "up", "--to", "2");
        run(t, target, dir, "status");

        step(t, "4. A report query holds a lock on orders for 2 s: the preflight before up names it and stops the run");
        Thread holder = holdLock(target, "orders", 2000);
        run(t, target, dir, "up");
        t.out().println("   Run anyway, and the migration waits politely (lock_timeout 100 ms, then back off and retry:");
        t.out().println("   the application's queries never queue behind it for more than ~100 ms at a time)");
        run(t, target, dir, "up", "--no-preflight");
        holder.join();
        run(t, target, dir, "status");

        step(t, "4b. Preflight finds a session that would block; the monitor stops a migration that blocks the application");
        monitorStep(t, target, dir);

        step(t, "4c. Every run wrote a report; the failed one also a postmortem draft");
        showReport(t, dir, "_postmortem.md", "## Failing step", 3);
        showReport(t, dir, "_postmortem.md", "## Repair options", 4);

        step(t, "5. Roll back the newest migration with the down SQL stored when it was applied");
        run(t, target, dir, "down");
        step(t, "6. Delete the migration files, then roll back the rest anyway: the history has the downs");
        deleteTree(dir);
        Files.createDirectories(dir);
        run(t, target, dir, "down", "--all");
        run(t, target, dir, "status");

        step(t, "7. A destructive migration, taken back without losing a value");
        archive(t, target, dir);

        step(t, "8. Expand/contract: users get a display_name while the application keeps writing");
        expandContract(t, target, dir);

        step(t, "8b. Environments: production only takes what staging has applied");
        environments(t, target);

        step(t, "9. The audit trail");
        run(t, target, dir, "history", "--limit", "12");
        t.out().println();
        t.out().println("The reports of the demo's runs (Markdown and JSON) are in " + reports(dir));
        t.out().println(t.bold("That's Reverso today.") + " Point it at your database with --url or REVERSO_URL.");
        deleteTree(dir);
        return ExitCode.DONE;
    }

    /**
     * Preflight names a report holding a lock the next migration needs; then, with the report gone,
     * the migration itself holds ACCESS EXCLUSIVE too long while the shop queues behind it, and the
     * monitor cancels it at --max-blocking 1s: rolled back, exit 5, the reason in the audit log.
     */
    private void monitorStep(Terminal t, DatabaseUrl target, Path dir) throws Exception {
        Files.writeString(dir.resolve("0004_orders_note.up.sql"), "alter table orders add column note text;\n"
                + "-- stands in for a slow rewrite that keeps the table locked\nselect pg_sleep(5);\n");
        t.out().println("0004_orders_note.up.sql adds a column, then keeps orders locked for 5 s (a stand-in for a slow rewrite).");
        Thread report = holdLock(target, "orders", 1500);
        run(t, target, dir, "preflight");
        report.join();
        t.out().println("   (the report is gone; now the shop reads orders while the migration runs)");
        Load shop = new Load(target);
        shop.app("shop", "public", "select count(*) from orders where id <> ?");
        run(t, target, dir, ExitCode.MIGRATION_FAILED, "up", "--max-blocking", "1s");
        shop.stopAll();
        t.out().println("the shop during all this: " + shop.report());
        run(t, target, dir, "history", "--limit", "3");
        Files.delete(dir.resolve("0004_orders_note.up.sql"));
    }

    /**
     * An operation migration under a small load: an "old app" writing users.name through the table,
     * a "new app" writing display_name through the new version's schema once it exists; both
     * versions answer at once, and the rollback is instant.
     */
    private void expandContract(Terminal t, DatabaseUrl target, Path dir) throws Exception {
        Files.writeString(dir.resolve("0010_display_name.json"), """
                {"operations": [
                  {"add_column": {"table": "users", "up": "initcap(split_part(email, '@', 1))",
                    "column": {"name": "display_name", "type": "text", "nullable": false}}}
                ]}
                """);
        t.out().println("0010_display_name.json adds a NOT NULL column filled from email (pgroll's format).");
        Load load = new Load(target);
        load.app("old app", "public", "update users set name = 'Old ' || id where id = ?");
        run(t, target, dir, "start", "10");
        load.app("new app", "public_0010_display_name", "update users set display_name = 'New ' || id where id = ?");
        Thread.sleep(500);
        try (Connection c = connect(target)) {
            t.out().println(t.bold("$ psql: select * from public.users where id = 42   -- the old version"));
            t.out().println("   " + row(c, "select id, email, name from public.users where id = 42"));
            t.out().println(t.bold("$ psql: set search_path = public_0010_display_name; select * from users where id = 42"));
            t.out().println("   " + row(c, "select id, email, name, display_name from public_0010_display_name.users where id = 42"));
        }
        run(t, target, dir, "status");
        load.stop("new app");
        run(t, target, dir, "rollback");
        Thread.sleep(300);
        load.stopAll();
        t.out().println("the load during all this: " + load.report());
        t.out().println();
        run(t, target, dir, "up");
        run(t, target, dir, "latest");
    }

    private static String row(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            List<String> cells = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                cells.add(rs.getMetaData().getColumnName(i) + "=" + rs.getString(i));
            }
            return String.join("  ", cells);
        }
    }

    /** A few threads updating random users, each counting its writes and failures. */
    private static final class Load {
        private final DatabaseUrl target;
        private final java.util.Map<String, Thread> threads = new java.util.LinkedHashMap<>();
        private final java.util.Map<String, java.util.concurrent.atomic.AtomicBoolean> stops = new java.util.HashMap<>();
        private final java.util.Map<String, java.util.concurrent.atomic.AtomicLong> writes = new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.Map<String, java.util.concurrent.atomic.AtomicLong> errors = new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.Map<String, String> firstError = new java.util.concurrent.ConcurrentHashMap<>();

        Load(DatabaseUrl target) {
            this.target = target;
        }

        void app(String name, String schema, String sql) {
            var stop = new java.util.concurrent.atomic.AtomicBoolean();
            writes.put(name, new java.util.concurrent.atomic.AtomicLong());
            errors.put(name, new java.util.concurrent.atomic.AtomicLong());
            Thread thread = new Thread(() -> {
                try (Connection c = connect(target)) {
                    execute(c, "set search_path = " + schema);
                    execute(c, "set application_name = '" + name + "'");
                    try (var ps = c.prepareStatement(sql)) {
                        while (!stop.get()) {
                            ps.setLong(1, 1 + java.util.concurrent.ThreadLocalRandom.current().nextInt(10000));
                            try {
                                ps.execute();
                                writes.get(name).incrementAndGet();
                            } catch (SQLException e) {
                                errors.get(name).incrementAndGet();
                                firstError.putIfAbsent(name, e.getMessage());
                            }
                            Thread.sleep(2);
                        }
                    }
                } catch (SQLException | InterruptedException e) {
                    errors.get(name).incrementAndGet();
                }
            }, "demo-" + name);
            stops.put(name, stop);
            threads.put(name, thread);
            thread.start();
        }

        void stop(String name) throws InterruptedException {
            stops.get(name).set(true);
            threads.get(name).join();
        }

        void stopAll() throws InterruptedException {
            for (String name : threads.keySet()) {
                stop(name);
            }
        }

        String report() {
            List<String> parts = new ArrayList<>();
            writes.forEach((name, n) -> parts.add(name + " " + n.get() + " writes, " + errors.get(name).get() + " failed"
                    + (firstError.containsKey(name) ? " (first: " + firstError.get(name) + ")" : "")));
            return String.join("; ", parts);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    private static void writeMigrations(Path dir) throws IOException {
        Files.writeString(dir.resolve("0001_add_users_last_login.up.sql"),
                "alter table users add column last_login timestamptz;\n");
        Files.writeString(dir.resolve("0001_add_users_last_login.down.sql"),
                "alter table users drop column last_login;\n");
        Files.writeString(dir.resolve("0002_index_users_email.up.sql"),
                "create unique index concurrently users_email_idx on users (email);\n");
        Files.writeString(dir.resolve("0002_index_users_email.down.sql"),
                "drop index concurrently users_email_idx;\n");
        Files.writeString(dir.resolve("0003_orders_status.up.sql"),
                "alter table orders add column status text not null default 'new';\n"
                        + "comment on column orders.status is 'new, paid, shipped';\n");
        Files.writeString(dir.resolve("0003_orders_status.down.sql"),
                "alter table orders drop column status;\n");
    }

    /**
     * DROP COLUMN orders.total: Reverso keeps the values in reverso_archive first; the application
     * goes on writing orders; the rollback plan says what will come back, and the rollback does.
     */
    private void archive(Terminal t, DatabaseUrl target, Path dir) throws Exception {
        Files.writeString(dir.resolve("0200_drop_order_total.up.sql"), "alter table orders drop column total;\n");
        Files.writeString(dir.resolve("0200_drop_order_total.down.sql"), "alter table orders add column total numeric(10,2);\n");
        String sum = "select count(total) || ' totals, sum ' || sum(total) from orders";
        t.out().println("   before: " + value(target, sum));
        run(t, target, dir, "up");
        run(t, target, dir, "archive", "list");
        try (Connection c = connect(target)) {
            execute(c, "set application_name = 'shop-app'");
            execute(c, "insert into orders (user_id) select 1 + g % 10000 from generate_series(1, 250) g");
        }
        t.out().println("   the application wrote 250 more orders since (they have no total)");
        Thread.sleep(1500);
        run(t, target, dir, "down", "--plan");
        run(t, target, dir, "down");
        t.out().println("   after:  " + value(target, sum));
        Files.delete(dir.resolve("0200_drop_order_total.up.sql"));
        Files.delete(dir.resolve("0200_drop_order_total.down.sql"));
    }

    /**
     * A second database on the same server plays staging; reverso.yaml lists staging then
     * production (the demo's database). up --env production is refused until staging has applied.
     */
    private void environments(Terminal t, DatabaseUrl target) throws Exception {
        String staging = DEMO_DB + "_staging";
        DatabaseUrl server = target.withDatabase("postgres");
        try (Connection c = connect(server)) {
            execute(c, "drop database if exists " + staging + " with (force)");
            execute(c, "create database " + staging);
        }
        Path dir = Files.createTempDirectory("reverso-demo-envs");
        Path migrations = Files.createDirectories(dir.resolve("migrations"));
        try {
            Files.writeString(migrations.resolve("0500_invoices.up.sql"), "create table invoices (id bigint primary key, total numeric);\n");
            Files.writeString(migrations.resolve("0500_invoices.down.sql"), "drop table invoices;\n");
            Path config = dir.resolve("reverso.yaml");
            Files.writeString(config, "dir: " + migrations + "\nenvironments:\n  - name: staging\n    url: \"" + target.withDatabase(staging).withCredentials()
                    + "\"\n  - name: production\n    url: \"" + target.withCredentials() + "\"\n");
            t.out().println("   reverso.yaml lists staging (database " + staging + ") then production (this demo's database)");
            runConfigured(t, config, "--env", "production", "up");
            runConfigured(t, config, "--env", "staging", "up");
            runConfigured(t, config, "status", "--all-envs");
            runConfigured(t, config, "--env", "production", "up");
            runConfigured(t, config, "--env", "production", "down");
        } finally {
            deleteTree(migrations);
            deleteTree(dir);
            try (Connection c = connect(server)) {
                execute(c, "drop database if exists " + staging + " with (force)");
            }
        }
    }

    /** A command whose database comes from the config's environments, not the demo's target. */
    private void runConfigured(Terminal t, Path config, String... command) {
        List<String> args = new ArrayList<>(List.of("--config", config.toString()));
        args.addAll(List.of(command));
        t.out().println(t.bold("$ reverso " + String.join(" ", command)));
        int code = Main.run(t, null, args.toArray(String[]::new));
        if (code != ExitCode.DONE && code != ExitCode.CHECK_FAILED) {
            throw new ReversoException(ReversoException.Kind.MIGRATION_FAILED, "the demo stopped: reverso "
                    + String.join(" ", command) + " exited " + code);
        }
        t.out().println();
    }

    private static String value(DatabaseUrl target, String sql) throws SQLException {
        try (Connection c = connect(target); Statement st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private void run(Terminal t, DatabaseUrl target, Path dir, String... command) {
        run(t, target, dir, ExitCode.DONE, command);
    }

    /** Runs a command; besides done and a failed check, the exit code the step expects is no reason to stop. */
    private void run(Terminal t, DatabaseUrl target, Path dir, int expected, String... command) {
        List<String> args = new ArrayList<>(List.of("--dir", dir.toString(), "--report-dir", reports(dir).toString()));
        args.addAll(List.of(command));
        t.out().println(t.bold("$ reverso " + String.join(" ", command)));
        int code = Main.run(t, target, args.toArray(String[]::new));
        if (code != ExitCode.DONE && code != ExitCode.CHECK_FAILED && code != expected) {
            throw new ReversoException(ReversoException.Kind.MIGRATION_FAILED, "the demo stopped: reverso "
                    + String.join(" ", command) + " exited " + code);
        }
        t.out().println();
    }

    /** Where the demo's runs write their reports: beside the migrations, kept after the demo for the reader to open. */
    private static Path reports(Path dir) {
        return dir.resolveSibling(dir.getFileName() + "-reports");
    }

    /** The newest report file whose name ends so, its path and the lines under one of its headings. */
    private static void showReport(Terminal t, Path dir, String suffix, String heading, int lines) throws IOException {
        Optional<Path> newest;
        try (var files = Files.list(reports(dir))) {
            newest = files.filter(p -> p.getFileName().toString().endsWith(suffix)).max(Comparator.naturalOrder());
        }
        if (newest.isEmpty()) {
            return;
        }
        t.out().println(newest.get() + ":");
        List<String> text = Files.readAllLines(newest.get());
        int from = text.indexOf(heading);
        text.subList(Math.max(0, from), Math.min(text.size(), Math.max(0, from) + lines)).forEach(l -> t.out().println("  " + l));
    }

    private static void step(Terminal t, String title) {
        t.out().println();
        t.out().println(t.bold("== " + title));
    }

    /** Another session, like a long report, holding ACCESS SHARE on a table for a while. */
    private static Thread holdLock(DatabaseUrl target, String table, long millis) throws InterruptedException {
        java.util.concurrent.CountDownLatch locked = new java.util.concurrent.CountDownLatch(1);
        Thread thread = new Thread(() -> {
            try (Connection c = connect(target)) {
                c.setAutoCommit(false);
                execute(c, "set application_name = 'monthly-report'");
                execute(c, "select count(*) from " + table);
                locked.countDown();
                Thread.sleep(millis);
                c.rollback();
            } catch (SQLException | InterruptedException e) {
                locked.countDown();
            }
        }, "demo-report");
        thread.start();
        locked.await();
        return thread;
    }

    private static Connection connect(DatabaseUrl url) {
        return new Database(url, "reverso-demo").connect();
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
