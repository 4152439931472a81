package dev.reverso.lint;

import java.util.List;

/**
 * One file as the linter's front end leaves it for the rule passes: split, classified and with
 * its suppressions read. Immutable, so that two passes can read it at once.
 *
 * @param migration    its statements as the runner would run them; null when it does not split
 * @param suppressions its {@code -- reverso:ignore} comments
 * @param fileFindings findings about the file rather than a statement (it does not split, a
 *                     suppression without a reason)
 */
record ParsedMigration(MigrationFile migration, List<Suppression> suppressions, List<Finding> fileFindings) {

    ParsedMigration {
        suppressions = List.copyOf(suppressions);
        fileFindings = List.copyOf(fileFindings);
    }

    int statements() {
        return migration == null ? 0 : migration.steps().size();
    }
}
