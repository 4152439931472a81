package dev.reverso.engine;

import java.sql.SQLException;

/**
 * What a run asks, at its safe points, whether it may go on: the live monitor's thresholds. The
 * engine calls {@link #check()} before every statement it sends and {@link #pace()} where it holds
 * no lock and no open transaction (before a migration, a phase step, a backfill batch).
 */
public interface RunGuard {

    /** SQLSTATE of a stop asked for by a guard: query_canceled, as PostgreSQL's own cancel. */
    String STOPPED = "57014";

    /**
     * Returns when the run may go on.
     *
     * @throws SQLException with SQLSTATE {@value #STOPPED} when a threshold stopped the run; the
     *     caller unwinds as for a failed statement (its transaction rolls back)
     */
    void check() throws SQLException;

    /**
     * Like {@link #check()}, and first waits while the run must pause (replicas lagging behind).
     *
     * @param next what waits, for the report: "0003_add_index", "the next backfill batch of users"
     */
    void pace(String next) throws SQLException;

    /** A guard that never stops or pauses anything. */
    static RunGuard none() {
        return new RunGuard() {
            @Override
            public void check() {
            }

            @Override
            public void pace(String next) {
            }
        };
    }
}
