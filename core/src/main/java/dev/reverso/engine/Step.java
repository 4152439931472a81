package dev.reverso.engine;

import dev.reverso.sql.Classification;
import dev.reverso.sql.Statement;

/**
 * One statement of a script with what Reverso knows about it. Steps count from 1, in the order
 * the statements appear.
 */
public record Step(int number, Statement statement, Classification classification) {

    /** The statement on one line, cut to 80 characters, for messages and progress. */
    public String summary() {
        String flat = statement.sql().replaceAll("\\s+", " ").strip();
        return flat.length() <= 80 ? flat : flat.substring(0, 77) + "...";
    }

    public String sql() {
        return statement.sql();
    }

    public int line() {
        return statement.line();
    }
}
