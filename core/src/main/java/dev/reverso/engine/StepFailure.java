package dev.reverso.engine;

import java.sql.SQLException;

/** A statement of a migration failed; carries the step so the message can point at its line. */
public final class StepFailure extends Exception {

    private final Step step;

    public StepFailure(Step step, SQLException cause) {
        super(cause.getMessage(), cause);
        this.step = step;
    }

    public Step step() {
        return step;
    }

    public SQLException sqlException() {
        return (SQLException) getCause();
    }

    /** PostgreSQL refused the lock within lock_timeout (SQLSTATE 55P03). */
    public boolean lockTimeout() {
        return "55P03".equals(sqlException().getSQLState());
    }

    /** The server's message, first line only, without the driver's "ERROR: " prefix. */
    public String serverMessage() {
        return dev.reverso.Database.serverMessage(sqlException());
    }
}
