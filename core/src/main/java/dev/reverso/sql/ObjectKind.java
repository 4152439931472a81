package dev.reverso.sql;

/** The kinds of database object whose creation and removal {@link Classifier} reports. */
public enum ObjectKind {
    INDEX, TABLE, VIEW, MATERIALIZED_VIEW, SEQUENCE, SCHEMA, TYPE, FUNCTION, PROCEDURE
}
