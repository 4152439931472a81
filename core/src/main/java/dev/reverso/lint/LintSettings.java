package dev.reverso.lint;

import java.util.Map;
import java.util.Set;

/**
 * What the linter knows besides the SQL.
 *
 * @param serverMajor the target PostgreSQL major version (13 and later are supported; rules
 *     about older servers still use it)
 * @param runnerLockTimeout whether Reverso's runner sets lock_timeout (it does unless the user
 *     disabled it), so missing-lock-timeout only fires for an explicit {@code SET lock_timeout = 0}
 * @param runnerStatementTimeout whether a statement_timeout is configured for the runner
 * @param disabled rule ids not to run
 * @param severities rule ids whose severity the user changed
 */
public record LintSettings(int serverMajor, boolean runnerLockTimeout, boolean runnerStatementTimeout,
                           Set<String> disabled, Map<String, Severity> severities) {

    public LintSettings {
        disabled = Set.copyOf(disabled);
        severities = Map.copyOf(severities);
    }

    /** PostgreSQL 15 (the version these machines run), Reverso's lock timeout on, no statement timeout. */
    public static LintSettings defaults() {
        return new LintSettings(15, true, false, Set.of(), Map.of());
    }

    public LintSettings withServerMajor(int major) {
        return new LintSettings(major, runnerLockTimeout, runnerStatementTimeout, disabled, severities);
    }

    public LintSettings withDisabled(Set<String> ids) {
        return new LintSettings(serverMajor, runnerLockTimeout, runnerStatementTimeout, ids, severities);
    }

    public LintSettings withSeverities(Map<String, Severity> levels) {
        return new LintSettings(serverMajor, runnerLockTimeout, runnerStatementTimeout, disabled, levels);
    }

    public LintSettings withRunnerTimeouts(boolean lockTimeout, boolean statementTimeout) {
        return new LintSettings(serverMajor, lockTimeout, statementTimeout, disabled, severities);
    }
}
