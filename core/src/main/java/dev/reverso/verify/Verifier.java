package dev.reverso.verify;

import dev.reverso.VerifyReport;
import dev.reverso.VerifyReport.Kind;
import dev.reverso.VerifyReport.Problem;
import dev.reverso.sql.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The checks the runbooks type into psql after a migration: indexes left invalid, constraints left
 * NOT VALID (and whether the data would pass them: foreign-key orphans, rows failing a check),
 * sequences behind the values of their column, and the user's own verify scripts. Everything runs
 * read only; a user schema is any schema but PostgreSQL's own and the excluded ones.
 */
public final class Verifier {

    private static final String USER_SCHEMAS = "n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')"
            + " and n.nspname not like 'pg\\_temp%' and n.nspname not like 'pg\\_toast\\_temp%' and not (n.nspname = any (?))";

    private final Connection c;
    private final List<String> excluded;

    public Verifier(Connection c, List<String> excludedSchemas) {
        this.c = c;
        this.excluded = List.copyOf(excludedSchemas);
    }

    /**
     * Runs every check.
     *
     * @param scripts verify scripts by file name: each query must return no row, or one row holding true
     */
    public VerifyReport run(Map<String, String> scripts) throws SQLException {
        List<String> checks = List.of("invalid indexes", "unvalidated constraints", "foreign-key orphans",
                "rows failing NOT VALID checks (of tables and domains)", "sequences behind their column", scripts.size() + " verify script"
                        + (scripts.size() == 1 ? "" : "s"));
        List<Problem> problems = new ArrayList<>();
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("set transaction read only");
            invalidIndexes(problems);
            unvalidated(problems);
            unvalidatedDomainChecks(problems);
            sequences(problems);
            for (Map.Entry<String, String> script : scripts.entrySet()) {
                script(script.getKey(), script.getValue(), problems);
            }
        } finally {
            c.rollback();
            c.setAutoCommit(auto);
        }
        return new VerifyReport(checks, problems);
    }

    private void invalidIndexes(List<Problem> problems) throws SQLException {
        String sql = "select n.nspname || '.' || x.relname from pg_index i join pg_class x on x.oid = i.indexrelid"
                + " join pg_namespace n on n.oid = x.relnamespace where not i.indisvalid and " + USER_SCHEMAS + " order by 1";
        for (String index : strings(sql)) {
            problems.add(new Problem(Kind.INVALID_INDEX, index, "index " + index + " is INVALID (a concurrent build failed or"
                    + " was interrupted): it costs every write and serves no read; DROP INDEX CONCURRENTLY and build it again"));
        }
    }

    /** Each NOT VALID constraint, and whether the data as it is would pass it. */
    private void unvalidated(List<Problem> problems) throws SQLException {
        String sql = "select k.oid, k.contype, n.nspname, c.relname, k.conname, pg_get_constraintdef(k.oid),"
                + " case when k.contype = 'c' then pg_get_expr(k.conbin, k.conrelid) end"
                + " from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace"
                + " where not k.convalidated and k.contype in ('c', 'f') and " + USER_SCHEMAS + " order by 3, 4, 5";
        for (String[] r : rowsInUserSchemas(sql)) {
            String table = Identifiers.qualified(r[2], r[3]);
            String name = r[2] + "." + r[3] + "." + r[4];
            long bad = r[1].equals("f") ? orphans(Long.parseLong(r[0]), table) : count("select count(*) from " + table
                    + " where not (" + r[6] + ")");
            problems.add(new Problem(Kind.UNVALIDATED_CONSTRAINT, name, "constraint " + name + " is NOT VALID ("
                    + r[5].replace(" NOT VALID", "") + "); ALTER TABLE " + table + " VALIDATE CONSTRAINT "
                    + Identifiers.quote(r[4]) + (bad == 0 ? " will pass" : " would fail now")));
            if (bad > 0) {
                problems.add(new Problem(r[1].equals("f") ? Kind.FOREIGN_KEY_ORPHANS : Kind.CHECK_VIOLATED, name, bad + " row"
                        + (bad == 1 ? "" : "s") + " of " + table + (r[1].equals("f") ? " reference nothing" : " fail the check")
                        + "; fix them before validating"));
            }
        }
    }

    /**
     * Each NOT VALID check of a domain ({@code ALTER DOMAIN ... ADD CONSTRAINT ... NOT VALID}), and
     * the rows of every table column of that domain that would fail it.
     */
    private void unvalidatedDomainChecks(List<Problem> problems) throws SQLException {
        String sql = "select k.contypid, n.nspname, t.typname, k.conname, pg_get_constraintdef(k.oid), pg_get_expr(k.conbin, 0)"
                + " from pg_constraint k join pg_type t on t.oid = k.contypid join pg_namespace n on n.oid = t.typnamespace"
                + " where not k.convalidated and k.contype = 'c' and " + USER_SCHEMAS + " order by 2, 3, 4";
        List<String[]> rows = rowsInUserSchemas(sql);
        String columns = "select a.attrelid::regclass::text, quote_ident(a.attname) from pg_attribute a join pg_class r"
                + " on r.oid = a.attrelid where a.atttypid = ?::oid and r.relkind in ('r', 'p') and a.attnum > 0"
                + " and not a.attisdropped order by 1, 2";
        for (String[] r : rows) {
            String domain = Identifiers.qualified(r[1], r[2]);
            String name = r[1] + "." + r[2] + "." + r[3];
            List<String[]> used = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(columns)) {
                ps.setLong(1, Long.parseLong(r[0]));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        used.add(new String[] {rs.getString(1), rs.getString(2)});
                    }
                }
            }
            long total = 0;
            List<Problem> violations = new ArrayList<>();
            for (String[] tc : used) {
                // The check names the value being checked VALUE; here it is the column's.
                long bad = count("select count(*) from " + tc[0] + " where not (" + r[5].replaceAll("\\bVALUE\\b",
                        java.util.regex.Matcher.quoteReplacement("(" + tc[1] + ")")) + ")");
                total += bad;
                if (bad > 0) {
                    violations.add(new Problem(Kind.CHECK_VIOLATED, name, bad + " row" + (bad == 1 ? "" : "s") + " of " + tc[0]
                            + " fail the check of domain " + domain + " in column " + tc[1] + "; fix them before validating"));
                }
            }
            problems.add(new Problem(Kind.UNVALIDATED_CONSTRAINT, name, "domain constraint " + name + " is NOT VALID ("
                    + r[4].replace(" NOT VALID", "") + "); ALTER DOMAIN " + domain + " VALIDATE CONSTRAINT "
                    + Identifiers.quote(r[3]) + (total == 0 ? " will pass" : " would fail now")));
            problems.addAll(violations);
        }
    }

    /** Rows of the child whose key columns are all set and match no row of the parent. */
    private long orphans(long constraint, String child) throws SQLException {
        String sql = "select array(select quote_ident(a.attname) from unnest(k.conkey) with ordinality u(n, i)"
                + " join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.n order by u.i),"
                + " array(select quote_ident(a.attname) from unnest(k.confkey) with ordinality u(n, i)"
                + " join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.n order by u.i),"
                + " k.confrelid::regclass::text from pg_constraint k where k.oid = ?";
        String[] mine;
        String[] theirs;
        String parent;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, constraint);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                mine = (String[]) rs.getArray(1).getArray();
                theirs = (String[]) rs.getArray(2).getArray();
                parent = rs.getString(3);
            }
        }
        StringBuilder where = new StringBuilder();
        StringBuilder match = new StringBuilder();
        for (int i = 0; i < mine.length; i++) {
            where.append(i == 0 ? "" : " and ").append("o.").append(mine[i]).append(" is not null");
            match.append(i == 0 ? "" : " and ").append("p.").append(theirs[i]).append(" = o.").append(mine[i]);
        }
        return count("select count(*) from " + child + " o where " + where + " and not exists (select 1 from " + parent
                + " p where " + match + ")");
    }

    /** A sequence owned by a column that would hand out a value the column already holds. */
    private void sequences(List<Problem> problems) throws SQLException {
        String sql = "select s.seqrelid::regclass::text, d.refobjid::regclass::text, quote_ident(a.attname)"
                + " from pg_sequence s join pg_class q on q.oid = s.seqrelid join pg_namespace n on n.oid = q.relnamespace"
                + " join pg_depend d on d.objid = s.seqrelid and d.classid = 'pg_class'::regclass and d.deptype in ('a', 'i')"
                + " join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid"
                + " where s.seqincrement > 0 and " + USER_SCHEMAS;
        for (String[] o : rowsInUserSchemas(sql)) {
            String q = "select (select max(" + o[2] + ") from " + o[1] + ")::numeric > coalesce((select last_value from "
                    + o[0] + " where is_called), (select last_value - 1 from " + o[0] + "))::numeric";
            if (strings(q).stream().anyMatch("t"::equals)) {
                problems.add(new Problem(Kind.SEQUENCE_BEHIND, o[0], "sequence " + o[0] + " is behind max(" + o[2] + ") of "
                        + o[1] + ": the next insert will collide; SELECT setval('" + o[0] + "', (SELECT max(" + o[2] + ") FROM "
                        + o[1] + "))"));
            }
        }
    }

    private void script(String file, String sql, List<Problem> problems) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("savepoint reverso_verify");
            try (ResultSet rs = st.executeQuery(sql)) {
                if (rs.next()) {
                    boolean single = rs.getMetaData().getColumnCount() == 1;
                    String first = rs.getString(1);
                    boolean ok = single && "t".equals(first) && !rs.next();
                    if (!ok) {
                        problems.add(new Problem(Kind.VERIFY_SCRIPT, file, "returned rows (first: " + first + ");"
                                + " a verify query must return no row, or one row holding true"));
                    }
                }
            } catch (SQLException e) {
                st.execute("rollback to savepoint reverso_verify");
                problems.add(new Problem(Kind.VERIFY_SCRIPT, file, "failed: " + dev.reverso.Database.serverMessage(e)));
            }
        }
    }

    /** Every row, each column as text, of a query whose one parameter is the excluded schemas. */
    private List<String[]> rowsInUserSchemas(String sql) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", excluded.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    String[] row = new String[n];
                    for (int i = 0; i < n; i++) {
                        row[i] = rs.getString(i + 1);
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    private long count(String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<String> strings(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (sql.contains("?")) {
                ps.setArray(1, c.createArrayOf("text", excluded.toArray()));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
