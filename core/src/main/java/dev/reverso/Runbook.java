package dev.reverso;

import java.util.List;

/**
 * What {@code plan --runbook} prints for a change review: per pending migration, its steps with
 * lock, size and estimated duration, what the application must tolerate, how to roll back, and
 * what to do if each step fails.
 *
 * @param database the target, password hidden
 * @param migrations the pending migrations, in order
 */
public record Runbook(String database, List<Entry> migrations) {

    /**
     * @param transactional whether it runs in one transaction
     * @param steps its statements
     * @param tolerate what the application must tolerate while it runs
     * @param rollback how to take it back, or why it cannot be
     */
    public record Entry(String version, String name, boolean transactional, List<RunbookStep> steps, String tolerate,
                        String rollback) {
    }

    /**
     * @param number step number
     * @param line line in the file
     * @param sql the statement on one line
     * @param lock the lock it takes and on what
     * @param blocks what that lock blocks
     * @param duration the estimated duration of the lock, from the live table size
     * @param findings lint findings on it, as {@code severity rule-id: fix}
     * @param ifItFails what to do when this step fails
     */
    public record RunbookStep(int number, int line, String sql, String lock, String blocks, String duration,
                              List<String> findings, String ifItFails) {
    }
}
