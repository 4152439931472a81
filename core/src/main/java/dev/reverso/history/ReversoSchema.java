package dev.reverso.history;

import dev.reverso.sql.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The schema where Reverso keeps its state: the history, the step journal and the audit trail.
 * It is created on first use by any command; creation is serialised with a transaction-level
 * advisory lock so two runners starting at once on a new database do not collide.
 */
public final class ReversoSchema {

    /** Bumped when the tables below change shape, so a later Reverso can upgrade them. */
    static final int LAYOUT_VERSION = 2;

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
        String sql = "select exists (select 1 from pg_class t join pg_namespace n on n.oid = t.relnamespace"
                + " where n.nspname = ? and t.relname = 'expansions')";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
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
            for (String ddl : hasLayout1(c) ? upgradeFrom1() : ddl()) {
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

    /** A schema made by Reverso before operation migrations: it has the meta table and not the expansions table. */
    private boolean hasLayout1(Connection c) throws SQLException {
        String sql = "select exists (select 1 from pg_class t join pg_namespace n on n.oid = t.relnamespace"
                + " where n.nspname = ? and t.relname = 'meta')";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private String[] upgradeFrom1() {
        return new String[] {
            expansionsDdl(),
            "update " + table("meta") + " set value = '" + LAYOUT_VERSION + "' where key = 'layout_version'"
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
            expansionsDdl(),
            "comment on schema " + Identifiers.quote(name) + " is 'Reverso migration history; do not edit by hand, use reverso repair'"
        };
    }
}
