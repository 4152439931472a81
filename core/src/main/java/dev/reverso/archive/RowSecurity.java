package dev.reverso.archive;

import dev.reverso.sql.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What row-level security lets the migrating role see of a whole table, for a copy into the
 * archive or a restore out of it. An owner under FORCE ROW LEVEL SECURITY has it lifted in the
 * current transaction (and put back by {@link #putBack}); any other role the policies apply to sees
 * only part of the table, which neither an archive nor a restore may pretend is all of it.
 */
enum RowSecurity {
    /** No policy applies to the role: every row. */
    ALL,
    /** FORCE ROW LEVEL SECURITY was lifted for this transaction: every row, until {@link #putBack}. */
    FORCE_LIFTED,
    /** The policies apply and cannot be lifted: only the rows they let the role see. */
    SOME;

    /** Reads the table's row-level security for this role, lifting FORCE when the role owns it (in a transaction only). */
    static RowSecurity lift(Connection c, TableShape table) throws SQLException {
        String sql = "select row_security_active(t.oid), t.relforcerowsecurity and pg_has_role(t.relowner, 'USAGE')"
                + " from pg_class t where t.oid = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, table.oid());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return ALL;
                }
                if (!rs.getBoolean(2) || c.getAutoCommit()) {
                    return SOME;
                }
            }
        }
        alter(c, table, "no force");
        return FORCE_LIFTED;
    }

    /** Puts FORCE ROW LEVEL SECURITY back when {@link #lift} lifted it. */
    void putBack(Connection c, TableShape table) throws SQLException {
        if (this == FORCE_LIFTED) {
            alter(c, table, "force");
        }
    }

    private static void alter(Connection c, TableShape table, String force) throws SQLException {
        try (java.sql.Statement st = c.createStatement()) {
            st.execute("alter table " + Identifiers.qualified(table.schema(), table.name()) + " " + force + " row level security");
        }
    }
}
