package dev.reverso.archive;

/** How much of what up steps destroy is kept in the archive. */
public enum Archiving {
    /** Nothing: a rollback cannot bring destroyed data back. */
    OFF,
    /** What each statement destroys, when its text bounds it (the default). */
    BOUNDED,
    /**
     * As BOUNDED, and for a statement that changes a table's rows in a way its text does not bound
     * (its own RETURNING, WHERE CURRENT OF), the whole table first.
     */
    WHOLE_TABLE_WHEN_UNBOUNDED
}
