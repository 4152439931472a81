package dev.reverso;

import java.util.List;

/**
 * What {@code plan} found for each pending migration.
 *
 * @param migrations the pending migrations, in the order {@code up} would run them
 */
public record PlanReport(List<PlannedMigration> migrations) {

    /** Whether a dry run found an error in any migration. */
    public boolean hasErrors() {
        return migrations.stream().anyMatch(m -> m.error() != null);
    }

    /**
     * @param version its version
     * @param name its name
     * @param transactional whether it runs in one transaction
     * @param statements its statements
     * @param checked how the dry run went: {@code ok}, {@code failed}, or why it was not run
     * @param error the dry run's error, with its line, or null
     */
    public record PlannedMigration(String version, String name, boolean transactional, List<PlannedStatement> statements,
                                   String checked, String error) {
    }

    /**
     * @param line where it starts in its file
     * @param command its command tag, such as {@code CREATE INDEX CONCURRENTLY}
     * @param lock the strongest table lock it takes, such as {@code ACCESS EXCLUSIVE}
     * @param lockCertain false when the lock is a conservative guess
     * @param blocks what that lock blocks for other sessions
     * @param targets the tables it locks
     * @param inTransaction whether it runs inside the migration's transaction
     * @param sql its text on one line
     * @param archive what the archive keeps of the data it destroys (or why it cannot); null when it destroys none
     */
    public record PlannedStatement(int line, String command, String lock, boolean lockCertain, String blocks,
                                   List<String> targets, boolean inTransaction, String sql, String archive) {
    }
}
