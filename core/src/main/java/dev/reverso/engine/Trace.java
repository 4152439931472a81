package dev.reverso.engine;

import dev.reverso.Database;
import dev.reverso.TraceReport;
import dev.reverso.lint.Finding;
import dev.reverso.lint.SchemaState;
import dev.reverso.sql.LockMode;
import dev.reverso.sql.RelationLock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs migrations on a scratch copy of the schema and records what each statement really does:
 * the table locks it takes (pg_locks of its own session) and the tables it rewrites (a changed
 * relfilenode). Each statement runs in a transaction of its own on the copy, so its locks are
 * its own and not those of the statement before it; the copy keeps the result, so later
 * migrations see the objects earlier ones created.
 */
public final class Trace {

    private static final Set<String> REWRITE_RULES = Set.of("add-column-default-rewrite", "add-column-serial-or-identity",
            "add-column-generated-stored", "change-column-type-rewrite", "vacuum-full-or-cluster", "rewrite-via-table-option");

    private final Connection scratch;

    public Trace(Connection scratch) {
        this.scratch = scratch;
    }

    /** Traces one migration; findings are the linter's findings on its file. */
    public TraceReport.TracedMigration run(String version, String name, Script script, List<Finding> findings) throws SQLException {
        if (script.autocommit()) {
            String error = null;
            for (Step step : script.steps()) {
                try (var st = scratch.createStatement()) {
                    st.execute(step.sql());
                } catch (SQLException e) {
                    error = "line " + step.line() + ": " + Database.serverMessage(e);
                    break;
                }
            }
            return new TraceReport.TracedMigration(version, name, false, error != null ? error
                    : "runs outside a transaction: executed on the copy, locks not observed", List.of());
        }
        List<TraceReport.TracedStatement> out = new ArrayList<>();
        String note = null;
        for (Step step : script.steps()) {
            TraceReport.TracedStatement traced = traceOne(step, findings);
            out.add(traced);
            if (traced.error() != null) {
                note = "stopped at line " + step.line() + ": " + traced.error();
                break;
            }
        }
        return new TraceReport.TracedMigration(version, name, true, note, out);
    }

    private TraceReport.TracedStatement traceOne(Step step, List<Finding> findings) throws SQLException {
        List<String> staticLocks = step.classification().locks().stream()
                .map(l -> l.mode().sqlName() + " on " + SchemaState.normalise(l.relation())).toList();
        List<String> ruleIds = findings.stream().filter(f -> f.line() == step.line()).map(Finding::ruleId).toList();
        Map<Long, String[]> before = tables();
        Map<String, LockMode> taken;
        scratch.setAutoCommit(false);
        try {
            try (var st = scratch.createStatement()) {
                st.execute(step.sql());
            }
            taken = locks(before);
            scratch.commit();
        } catch (SQLException e) {
            scratch.rollback();
            return new TraceReport.TracedStatement(step.line(), step.summary(), staticLocks, List.of(), List.of(), ruleIds,
                    List.of(), Database.serverMessage(e));
        } finally {
            scratch.setAutoCommit(true);
        }
        Map<Long, String[]> after = tables();
        List<String> rewrote = new ArrayList<>();
        before.forEach((oid, was) -> {
            String[] now = after.get(oid);
            if (now != null && !now[0].equals(was[0])) {
                rewrote.add(was[1]);
            }
        });
        List<String> tracedLocks = taken.entrySet().stream().map(e -> e.getValue().sqlName() + " on " + e.getKey()).toList();
        return new TraceReport.TracedStatement(step.line(), step.summary(), staticLocks, tracedLocks, rewrote, ruleIds,
                disagreements(step, taken, rewrote, ruleIds), null);
    }

    private static List<String> disagreements(Step step, Map<String, LockMode> taken, List<String> rewrote, List<String> ruleIds) {
        List<String> out = new ArrayList<>();
        Map<String, LockMode> predicted = new HashMap<>();
        for (RelationLock l : step.classification().locks()) {
            predicted.merge(SchemaState.normalise(l.relation()), l.mode(), LockMode::max);
        }
        taken.forEach((table, mode) -> {
            LockMode said = predicted.get(table);
            if (said == null) {
                out.add("took " + mode.sqlName() + " on " + table + ", which the classifier did not name");
            } else if (said != mode) {
                out.add("took " + mode.sqlName() + " on " + table + ", the classifier said " + said.sqlName());
            }
        });
        boolean flaggedRewrite = ruleIds.stream().anyMatch(REWRITE_RULES::contains);
        if (!rewrote.isEmpty() && !flaggedRewrite && !step.classification().command().equals("TRUNCATE")) {
            out.add("rewrote " + String.join(", ", rewrote) + ", which lint did not flag");
        }
        if (rewrote.isEmpty() && flaggedRewrite) {
            out.add("lint flagged a rewrite, but no table was rewritten on the copy");
        }
        return out;
    }

    /** User tables, partitioned tables and materialized views: oid → {relfilenode, name}. */
    private Map<Long, String[]> tables() throws SQLException {
        String sql = "select c.oid, c.relfilenode::text, c.oid::regclass::text from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                + " where c.relkind in ('r', 'p', 'm') and n.nspname not in ('pg_catalog', 'information_schema')"
                + " and n.nspname not like 'pg_toast%'";
        Map<Long, String[]> out = new HashMap<>();
        try (PreparedStatement ps = scratch.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getLong(1), new String[] {rs.getString(2), SchemaState.normalise(rs.getString(3))});
            }
        }
        return out;
    }

    /** The strongest lock this session holds on each table that existed before the statement, by table name. */
    private Map<String, LockMode> locks(Map<Long, String[]> existing) throws SQLException {
        String sql = "select l.relation::bigint, l.mode from pg_locks l where l.pid = pg_backend_pid()"
                + " and l.locktype = 'relation' and l.granted";
        Map<String, LockMode> out = new java.util.TreeMap<>();
        try (PreparedStatement ps = scratch.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String[] table = existing.get(rs.getLong(1));
                LockMode mode = Blockers.fromPgLocks(rs.getString(2));
                if (table != null && mode != null) {
                    out.merge(table[1], mode, LockMode::max);
                }
            }
        }
        return out;
    }
}
