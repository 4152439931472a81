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
        return summary(statement.sql());
    }

    /**
     * What {@code collapse(sql).strip()} cut to 80 characters gives, where collapse turns each run
     * of regex {@code \s} characters (space, tab, line feed, vertical tab, form feed, carriage
     * return) into one space; but reading only as much of the statement as the summary shows: the
     * linter asks for it once per finding, and a large statement would otherwise be copied whole
     * each time.
     */
    static String summary(String sql) {
        return isPlain(sql) ? (sql.length() <= 80 ? sql : sql.substring(0, 77) + "...") : collapsed(sql);
    }

    /**
     * Whether the summary is the statement's first characters as they are: up to the 81st, all
     * ASCII, no control characters, no space first, last or after another space. Most statements
     * are, and the linter asks for a summary with each of a large file's hundred thousand findings.
     */
    private static boolean isPlain(String sql) {
        int n = Math.min(sql.length(), 81);
        if (n == 0) {
            return false;
        }
        char previous = ' ';
        for (int i = 0; i < n; i++) {
            char c = sql.charAt(i);
            if (c < ' ' || c >= 0x7F || (c == ' ' && previous == ' ')) {
                return false;
            }
            previous = c;
        }
        return previous != ' ';
    }

    private static String collapsed(String sql) {
        StringBuilder out = new StringBuilder(Math.min(sql.length(), 96));
        boolean inRun = false;
        // Past 80 characters, a summary is cut whenever anything but trailing whitespace follows,
        // so reading can stop at the first such character after the 80th.
        for (int i = 0; i < sql.length() && !(out.length() > 80 && !Character.isWhitespace(out.charAt(out.length() - 1))); i++) {
            char c = sql.charAt(i);
            boolean space = c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
            char next = space ? ' ' : c;
            if ((!space || !inRun) && (out.length() > 0 || !Character.isWhitespace(next))) {
                out.append(next);
            }
            inRun = space;
        }
        int end = out.length();
        while (end > 0 && Character.isWhitespace(out.charAt(end - 1))) {
            end--;
        }
        return end <= 80 ? out.substring(0, end) : out.substring(0, 77) + "...";
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
