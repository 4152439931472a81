package dev.reverso.lint;

import java.util.List;

/**
 * What {@code lint} found.
 *
 * @param findings every finding, in file and line order
 * @param files how many migration files were linted
 * @param statements how many statements
 */
public record LintReport(List<Finding> findings, int files, int statements) {

    public LintReport {
        findings = List.copyOf(findings);
    }

    /** Whether a finding reaches the failing severity. */
    public boolean fails(Severity failOn) {
        return findings.stream().anyMatch(f -> f.severity().compareTo(failOn) >= 0);
    }
}
