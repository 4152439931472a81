package dev.reverso;

import java.util.List;

/**
 * What {@code verify} found in the database after migrations.
 *
 * @param checks what was checked, in order
 * @param problems what is wrong, empty when all is well
 */
public record VerifyReport(List<String> checks, List<Problem> problems) {

    public VerifyReport {
        checks = List.copyOf(checks);
        problems = List.copyOf(problems);
    }

    /** The kinds of problem verify reports. */
    public enum Kind { INVALID_INDEX, UNVALIDATED_CONSTRAINT, FOREIGN_KEY_ORPHANS, CHECK_VIOLATED, SEQUENCE_BEHIND, VERIFY_SCRIPT }

    /**
     * One problem.
     *
     * @param object what it is about: an index, a constraint, a sequence or a verify file
     * @param detail what is wrong and what to do
     */
    public record Problem(Kind kind, String object, String detail) {
    }

    public boolean passed() {
        return problems.isEmpty();
    }
}
