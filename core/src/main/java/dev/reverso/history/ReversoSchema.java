package dev.reverso.history;

import dev.reverso.sql.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The schema where Reverso keeps its state: the history, the step journal, the audit trail, the
 * operation migrations' plans, the index of archived data, table statistics at apply time, the
 * snapshots taken and the performance baselines taken before runs.
 * It is created on first use by any command; creation is serialised with a transaction-level
 * advisory lock so two runners starting at once on a new database do not collide.
 */
public final class ReversoSchema {

    /** Bumped when the tables below change shape, so a later Reverso can upgrade them. */
    static final int LAYOUT_VERSION = 4;

    private final String name;

    public ReversoSchema(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** The schema-qualified, quoted name of one of Reverso's tables. */
    public String table(String table) {
        return Identifiers.quote(name) + "." + Identifiers.quote(table);
    }

    /** Whether the schema and its tables exist. */
    public boolean exists(Connection c) throws SQLException {
        // A plain MVCC query, not to_regclass: name lookups use a catalog cache that taking an
        // advisory lock does not refresh, so a runner that waited for another one creating the
        // schema would not see it.
        // table_stats.down_at is the last column added (to a layout 4 schema, without a new layout).
        String sql = "select exists (select 1 from pg_class t join pg_namespace n on n.oid = t.relnamespace"
                + " where n.nspname = ? and t.relname = 'perf_relations')"
                + " and exists (select 1 from pg_attribute a join pg_class t on t.oid = a.attrelid"
                + " join pg_namespace n on n.oid = t.relnamespace"
                + " where n.nspname = ? and t.relname = 'table_stats' and a.attname = 'down_at' and not a.attisdropped)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** The schema that holds the data destroyed migrations preserved: {@code <name>_archive}. */
    public String archiveSchema() {
        return name + "_archive";
    }

    /**
     * Creates the schema and its tables when missing. Runs in its own transaction and leaves the
     * connection in autocommit mode.
     *
     * @return true when it created them, false when they were there
     */
    public boolean ensure(Connection c) throws SQLException {
        if (exists(c)) {
            return false;
        }
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("select pg_advisory_xact_lock(" + RunnerLock.keyFor(name) + ")");
            if (exists(c)) {
                c.rollback();
                return false;
            }
            for (String ddl : upgrade(layoutPresent(c))) {
                st.execute(ddl);
            }
            c.commit();
            return true;
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** The layout of the tables already there: 0 when there are none, else meta's layout_version. */
    private int layoutPresent(Connection c) throws SQLException {
        String sql = "select exists (select 1 from pg_class t join pg_namespace n on n.oid = t.relnamespace"
                + " where n.nspname = ? and t.relname = 'meta')";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return 0;
                }
            }
        }
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select value::int from " + table("meta") + " where key = 'layout_version'")) {
            return rs.next() ? rs.getInt(1) : 1;
        }
    }

    /** The DDL that brings a schema of layout {@code from} (0: none) to {@link #LAYOUT_VERSION}. */
    private List<String> upgrade(int from) {
        List<String> ddl = new ArrayList<>();
        if (from == 0) {
            ddl.addAll(List.of(ddl()));
        }
        if (from <= 1) {
            ddl.add(expansionsDdl());
        }
        if (from <= 2) {
            ddl.addAll(List.of(archiveDdl()));
        }
        if (from <= 3) {
            ddl.addAll(List.of(baselineDdl()));
        }
        ddl.add(ownWritesDdl());
        if (from > 0) {
            ddl.add("update " + table("meta") + " set value = '" + LAYOUT_VERSION + "' where key = 'layout_version'");
        }
        return ddl;
    }

    /**
     * Layout 3: {@code archives} indexes what a migration's destructive steps preserved in the archive
     * schema (one row per archived object, with what it takes to put it back); {@code table_stats}
     * holds the write counters of the tables a migration touched, as they were when it was applied,
     * so a rollback plan can say how much was written since; {@code snapshots} lists pg_dump files.
     */
    private String[] archiveDdl() {
        return new String[] {
            "create table " + table("archives") + " ("
                + " id bigserial primary key,"
                + " version text not null,"
                + " step int not null,"
                + " kind text not null,"
                + " source_schema text not null,"
                + " source_table text not null,"
                + " archive_table text,"
                + " detail text not null,"
                + " row_count bigint not null default 0,"
                + " bytes bigint not null default 0,"
                + " created_at timestamptz not null default clock_timestamp(),"
                + " restored_at timestamptz,"
                + " restore_note text)",
            "create index on " + table("archives") + " (version)",
            "create table " + table("table_stats") + " ("
                + " version text not null,"
                + " schema_name text not null,"
                + " table_name text not null,"
                + " writes bigint,"
                + " live_rows bigint,"
                + " recorded_at timestamptz not null default clock_timestamp(),"
                + " primary key (version, schema_name, table_name))",
            "create table " + table("snapshots") + " ("
                + " id bigserial primary key,"
                + " version text,"
                + " scope text not null,"
                + " path text not null,"
                + " bytes bigint not null,"
                + " sha256 text not null,"
                + " created_at timestamptz not null default clock_timestamp(),"
                + " created_by text not null,"
                + " detail text)"
        };
    }

    /**
     * Added to layout 4 in place (rows recorded before get 0): the rows a migration's own up
     * statements wrote to the table the last time it was applied, and those its down wrote the
     * last time it was rolled back, with when; "written since" leaves them out.
     */
    private String ownWritesDdl() {
        return "alter table " + table("table_stats")
                + " add column if not exists own_writes bigint not null default 0,"
                + " add column if not exists down_writes bigint not null default 0,"
                + " add column if not exists down_at timestamptz";
    }

    /**
     * Layout 4: {@code perf_baselines} is one row per performance baseline, taken before a run that
     * has something to run, tagged with the first version about to be applied; {@code perf_statements}
     * holds its pg_stat_statements counters (the top statements by total time, when the extension is
     * usable) and {@code perf_relations} the size, tuple counts and index scans of each user table
     * and index, so {@code verify --perf} can compare what changed since.
     */
    private String[] baselineDdl() {
        return new String[] {
            "create table " + table("perf_baselines") + " ("
                + " id bigserial primary key,"
                + " version text not null,"
                + " command text not null,"
                + " taken_at timestamptz not null default clock_timestamp(),"
                + " statements_tracked boolean not null)",
            "create table " + table("perf_statements") + " ("
                + " baseline_id bigint not null references " + table("perf_baselines") + " on delete cascade,"
                + " queryid bigint not null,"
                + " query text not null,"
                + " calls bigint not null,"
                + " total_ms double precision not null,"
                + " mean_ms double precision not null,"
                + " primary key (baseline_id, queryid))",
            "create table " + table("perf_relations") + " ("
                + " baseline_id bigint not null references " + table("perf_baselines") + " on delete cascade,"
                + " kind text not null check (kind in ('table','index')),"
                + " schema_name text not null,"
                + " name text not null,"
                + " table_name text not null,"
                + " bytes bigint not null,"
                + " live_tuples bigint,"
                + " dead_tuples bigint,"
                + " scans bigint,"
                + " primary key (baseline_id, kind, schema_name, name))"
        };
    }

    /**
     * {@code reverso.expansions}: one row per operation migration with its plan (JSON), its phase,
     * how many steps of the phase are done, and the backfill's position, each updated in the
     * transaction of the step it records.
     */
    private String expansionsDdl() {
        return "create table " + table("expansions") + " ("
                + " version text primary key,"
                + " version_schema text not null,"
                + " previous_schema text,"
                + " plan text not null,"
                + " phase text not null check (phase in ('start','started','complete','completed','rollback','rolled_back')),"
                + " done int not null default 0,"
                + " backfill_key text[],"
                + " backfill_rows bigint not null default 0,"
                + " updated_at timestamptz not null default clock_timestamp())";
    }

    private String[] ddl() {
        String states = "'running','applied','failed','rolling_back','rolled_back','started','completed'";
        return new String[] {
            "create schema if not exists " + Identifiers.quote(name),
            "create table " + table("meta") + " (key text primary key, value text not null)",
            "insert into " + table("meta") + " values ('layout_version', '" + LAYOUT_VERSION + "')",
            "create table " + table("migrations") + " ("
                + " version text primary key,"
                + " name text not null,"
                + " kind text not null check (kind in ('sql','ops')),"
                + " checksum text not null,"
                + " state text not null check (state in (" + states + ")),"
                + " transactional boolean not null,"
                + " started_at timestamptz not null,"
                + " finished_at timestamptz,"
                + " duration_ms bigint,"
                + " applied_by text not null,"
                + " up_sql text not null,"
                + " down_sql text,"
                + " error text,"
                + " failed_step int)",
            "create table " + table("steps") + " ("
                + " version text not null,"
                + " direction text not null check (direction in ('up','down')),"
                + " step int not null,"
                + " statement text not null,"
                + " line int not null,"
                + " state text not null check (state in ('running','done','failed')),"
                + " started_at timestamptz not null default clock_timestamp(),"
                + " finished_at timestamptz,"
                + " error text,"
                + " primary key (version, direction, step))",
            "create table " + table("audit") + " ("
                + " id bigserial primary key,"
                + " at timestamptz not null default clock_timestamp(),"
                + " actor text not null,"
                + " db_user text not null default current_user,"
                + " action text not null,"
                + " version text,"
                + " outcome text not null,"
                + " detail text)",
            "comment on schema " + Identifiers.quote(name) + " is 'Reverso migration history; do not edit by hand, use reverso repair'"
        };
    }
}
