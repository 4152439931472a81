package dev.reverso.verify;

import dev.reverso.PreflightReport.Item;
import dev.reverso.PreflightReport.Status;
import dev.reverso.VerifyReport;
import dev.reverso.catalog.Catalog;
import dev.reverso.catalog.TableSize;
import dev.reverso.engine.Blockers;
import dev.reverso.engine.Step;
import dev.reverso.history.LockHolder;
import dev.reverso.monitor.Replica;
import dev.reverso.monitor.Sample;
import dev.reverso.sql.RelationLock;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks before a run: the server, the sessions that would block the pending statements on the
 * tables they touch, idle transactions, connection headroom, replication lag and logical slots,
 * leftovers of earlier runs, and the size of every touched table with what a rewrite of it costs.
 * Read only; each finding is pass, warn or fail.
 */
public final class Preflight {

    private final Connection c;
    private final String reversoSchema;

    public Preflight(Connection c, String reversoSchema) {
        this.c = c;
        this.reversoSchema = reversoSchema;
    }

    /**
     * @param steps the pending migrations' statements, by migration label
     * @param notes what the caller already knows: a dirty migration (FAIL), missing downs (WARN)
     */
    public List<Item> run(Map<String, List<Step>> steps, List<Item> notes) throws SQLException {
        List<Item> items = new ArrayList<>();
        Catalog catalog = new Catalog(c);
        int major = catalog.serverMajor();
        items.add(new Item(major >= 13 ? Status.PASS : Status.WARN, "server", "PostgreSQL " + value("show server_version")
                + (major >= 13 ? "" : "; Reverso supports 13 and later")));
        items.addAll(new Privileges(c, reversoSchema).check(steps));
        items.addAll(notes);
        blockers(steps, items);
        idleInTransaction(items);
        headroom(items);
        replication(items);
        for (VerifyReport.Problem p : new Verifier(c, List.of(reversoSchema)).run(Map.of()).problems()) {
            items.add(new Item(Status.WARN, "left over", p.detail()));
        }
        sizes(steps, catalog, items);
        return items;
    }

    /**
     * A conflicting lock held by a transaction that is running and younger than this is the
     * application's ordinary traffic: the runner's lock_timeout retries wait it out, and failing
     * on it would stop every run on a busy table.
     */
    private static final java.time.Duration TRAFFIC = java.time.Duration.ofSeconds(1);

    private void blockers(Map<String, List<Step>> steps, List<Item> items) throws SQLException {
        Map<Integer, String> found = new LinkedHashMap<>();
        Set<Integer> traffic = new java.util.HashSet<>();
        for (Map.Entry<String, List<Step>> m : steps.entrySet()) {
            for (Step s : m.getValue()) {
                if (!s.blocksApplication() && !s.classification().command().contains("CONCURRENTLY")) {
                    continue;
                }
                for (LockHolder h : Blockers.of(c, s)) {
                    if ("idle".equals(h.state())) {
                        // pg_locks and pg_stat_activity are read apart: an autocommit statement
                        // seen holding its lock had finished, and released it, by the second read.
                        continue;
                    }
                    if ("active".equals(h.state()) && h.age().compareTo(TRAFFIC) < 0) {
                        traffic.add(h.pid());
                        continue;
                    }
                    found.putIfAbsent(h.pid(), h.describe() + (h.query() == null ? "" : " running '" + oneLine(h.query()) + "'")
                            + " holds a lock that " + m.getKey() + " line " + s.line() + " (" + s.classification().command()
                            + ") would wait for");
                }
            }
        }
        traffic.removeAll(found.keySet());
        if (found.isEmpty()) {
            items.add(new Item(Status.PASS, "blocking sessions", "no session holds a lock the pending statements need"
                    + (traffic.isEmpty() ? "" : " for long (" + traffic.size() + " running transaction" + (traffic.size() == 1 ? "" : "s")
                    + " younger than " + TRAFFIC.toSeconds() + " s hold one: lock_timeout retries wait them out)")));
        }
        found.values().forEach(d -> items.add(new Item(Status.FAIL, "blocking sessions", d)));
    }

    private void idleInTransaction(List<Item> items) throws SQLException {
        String sql = "select pid, usename, application_name, (extract(epoch from clock_timestamp() - xact_start))::int"
                + " from pg_stat_activity where state like 'idle in transaction%' and pid <> pg_backend_pid()"
                + " and datname = current_database() order by xact_start";
        int n = 0;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                n++;
                items.add(new Item(Status.WARN, "idle in transaction", "pid " + rs.getInt(1) + " (user " + rs.getString(2)
                        + ", application '" + rs.getString(3) + "') has been idle in an open transaction for " + rs.getInt(4)
                        + " s: its locks and snapshot stay held (a concurrent index build waits for it)"));
            }
        }
        if (n == 0) {
            items.add(new Item(Status.PASS, "idle in transaction", "none"));
        }
    }

    private void headroom(List<Item> items) throws SQLException {
        int max = Integer.parseInt(value("show max_connections"));
        int used = Integer.parseInt(value("select count(*) from pg_stat_activity where backend_type = 'client backend'"));
        Status s = used * 10 >= max * 9 ? Status.FAIL : used * 10 >= max * 8 ? Status.WARN : Status.PASS;
        items.add(new Item(s, "connections", used + " of max_connections " + max + " in use"
                + (s == Status.PASS ? "" : ": a run needs two more (the runner and its lock)")));
    }

    private void replication(List<Item> items) throws SQLException {
        List<Replica> replicas = Replica.read(c);
        for (Replica r : replicas) {
            boolean far = r.lag().toSeconds() > 10;
            items.add(new Item(far ? Status.WARN : Status.PASS, "replication", "replica '" + r.name() + "' " + r.state()
                    + ", replay lag " + Sample.seconds(r.lag()) + ", " + bytes(r.bytesBehind()) + " of WAL not replayed"
                    + (far ? ": a rewrite or backfill adds to it" : "")));
        }
        if (replicas.isEmpty()) {
            items.add(new Item(Status.PASS, "replication", "no streaming replica connected"));
        }
        for (Sample.Slot slot : Sample.Slot.read(c)) {
            boolean bad = !slot.active() || slot.retainedBytes() > 1L << 30;
            items.add(new Item(bad ? Status.WARN : Status.PASS, "logical slot", slot.name() + (slot.active() ? " active"
                    : " inactive") + ", retaining " + bytes(slot.retainedBytes()) + " of WAL"));
        }
    }

    private static String bytes(long n) {
        return n < 1024 ? n + " bytes" : n < 1L << 20 ? String.format(java.util.Locale.ROOT, "%.0f kB", n / 1024.0)
                : n < 1L << 30 ? String.format(java.util.Locale.ROOT, "%.1f MB", n / 1048576.0)
                : String.format(java.util.Locale.ROOT, "%.1f GB", n / 1073741824.0);
    }

    private void sizes(Map<String, List<Step>> steps, Catalog catalog, List<Item> items) throws SQLException {
        Set<String> tables = new LinkedHashSet<>();
        steps.values().forEach(list -> list.forEach(s -> s.classification().locks().stream().map(RelationLock::relation)
                .forEach(tables::add)));
        for (String t : tables) {
            java.util.Optional<TableSize> size = catalog.size(t);
            if (size.isPresent()) {
                TableSize z = size.get();
                items.add(new Item(Status.PASS, "table size", z.relation() + ": " + z.prettyBytes() + ", ~"
                        + String.format(java.util.Locale.ROOT, "%,d", Math.max(0, z.rows())) + " rows; a rewrite or full scan"
                        + " takes " + z.scanEstimate()));
            }
        }
    }

    private String value(String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String oneLine(String q) {
        String flat = q.replaceAll("\\s+", " ").strip();
        return flat.length() > 60 ? flat.substring(0, 57) + "..." : flat;
    }
}
