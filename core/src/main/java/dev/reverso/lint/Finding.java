package dev.reverso.lint;

import dev.reverso.sql.LockMode;

/**
 * One hazard found in one statement.
 *
 * @param ruleId the rule's id, as in LINT_HAZARDS.md ({@code create-index-non-concurrent})
 * @param severity how bad it is (the rule's default unless the rule or the config changed it)
 * @param file the migration file
 * @param line 1-based line of the statement (or of the problem, for syntax errors)
 * @param column 1-based column
 * @param statement the statement on one line, shortened
 * @param lock the table lock the statement takes
 * @param blocks what that lock blocks for other sessions
 * @param message why it hurts, for this statement
 * @param rewrite the safe way, as SQL the user can paste where possible
 * @param relation the table the statement locks most strongly, as written; null when none
 * @param estimate in connected mode, the table's size and what it means for this statement's
 *     lock or rewrite; null otherwise
 */
public record Finding(String ruleId, Severity severity, String file, int line, int column, String statement,
                      LockMode lock, String blocks, String message, String rewrite, String relation, String estimate) {

    /** The same finding with another severity and estimate (connected mode judges by the live table). */
    public Finding judged(Severity level, String est) {
        return new Finding(ruleId, level, file, line, column, statement, lock, blocks, message, rewrite, relation, est);
    }
}
