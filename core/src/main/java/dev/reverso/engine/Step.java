package dev.reverso.engine;

import dev.reverso.sql.Classification;
import dev.reverso.sql.LockMode;
import dev.reverso.sql.Statement;

/**
 * One statement of a script with what Reverso knows about it. Steps count from 1, in the order
 * the statements appear.
 */
public record Step(int number, Statement statement, Classification classification) {

    /** The statement on one line, cut to 80 characters, for messages and progress. */
    public String summary() {
        String flat = collapseWhitespace(statement.sql()).strip();
        return flat.length() <= 80 ? flat : flat.substring(0, 77) + "...";
    }

    /**
     * Each run of regex {@code \s} characters (space, tab, line feed, vertical tab, form feed,
     * carriage return) as one space: what {@code replaceAll("\\s+", " ")} gives, without a regex
     * over every statement the linter reports on.
     */
    private static String collapseWhitespace(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        boolean inRun = false;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            boolean space = c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
            if (!space) {
                out.append(c);
            } else if (!inRun) {
                out.append(' ');
            }
            inRun = space;
        }
        return out.toString();
    }

    /**
     * Whether the lock this step takes would block the application's writes while the step holds
     * it or waits for it: such steps wait under a short lock_timeout and retry; the others (a
     * concurrent index build, VALIDATE CONSTRAINT) may wait patiently, since waiting costs the
     * application nothing.
     */
    public boolean blocksApplication() {
        return classification().lock().conflictsWith(LockMode.ROW_EXCLUSIVE);
    }

    /** The lock the classifier says this step takes and on what, as runbooks and reports show it. */
    public String lockText() {
        if (classification.lock() == LockMode.NONE) {
            return "none on existing tables";
        }
        return classification.lock().sqlName() + classification.locks().stream().max(java.util.Comparator.comparing(
                dev.reverso.sql.RelationLock::mode)).map(m -> " on " + m.relation()).orElse("");
    }

    public String sql() {
        return statement.sql();
    }

    public int line() {
        return statement.line();
    }
}
