package dev.reverso;

import java.util.List;

/**
 * What {@code verify} found in the database after migrations.
 *
 * @param checks what was checked, in order
 * @param problems what is wrong, empty when all is well
 * @param skipped checks that could not be made, each with the reason
 */
public record VerifyReport(List<String> checks, List<Problem> problems, List<String> skipped) {

    public VerifyReport {
        checks = List.copyOf(checks);
        problems = List.copyOf(problems);
        skipped = List.copyOf(skipped);
    }

    public VerifyReport(List<String> checks, List<Problem> problems) {
        this(checks, problems, List.of());
    }

    /** The kinds of problem verify reports. */
    public enum Kind {
        INVALID_INDEX, UNVALIDATED_CONSTRAINT, FOREIGN_KEY_ORPHANS, CHECK_VIOLATED, SEQUENCE_BEHIND, VERIFY_SCRIPT,
        /** An object the applied migrations create that the database lacks. */
        OBJECT_MISSING,
        /** An object of the database that no applied migration creates, such as an index made by hand. */
        OBJECT_UNEXPECTED,
        /** An object whose definition differs from what the applied migrations make of it. */
        OBJECT_CHANGED
    }

    /**
     * One problem.
     *
     * @param object what it is about: an index, a constraint, a sequence, a verify file or a schema object
     * @param detail what is wrong and what to do
     */
    public record Problem(Kind kind, String object, String detail) {
    }

    /** Whether there is no problem at all, what {@code reverso verify} asks. */
    public boolean passed() {
        return problems.isEmpty();
    }

    /**
     * The problems that fail a run's automatic verify; the others are shown as warnings. A NOT
     * VALID constraint the data would pass is not one: adding it NOT VALID and validating it in a
     * later migration is the safe way to add a constraint (data that fails it is a failure of its
     * own kind). Neither is an object no migration creates: a database that adopted Reverso has
     * tables from before its first migration.
     */
    public List<Problem> failures() {
        return problems.stream().filter(p -> p.kind() != Kind.UNVALIDATED_CONSTRAINT && p.kind() != Kind.OBJECT_UNEXPECTED).toList();
    }

    /** A copy with more problems and skipped checks. */
    public VerifyReport with(String check, List<Problem> more, List<String> moreSkipped) {
        List<String> c = new java.util.ArrayList<>(checks);
        c.add(check);
        List<Problem> p = new java.util.ArrayList<>(problems);
        p.addAll(more);
        List<String> s = new java.util.ArrayList<>(skipped);
        s.addAll(moreSkipped);
        return new VerifyReport(c, p, s);
    }
}
