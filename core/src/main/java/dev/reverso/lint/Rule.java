package dev.reverso.lint;

/**
 * One hazard of LINT_HAZARDS.md. A rule looks at one statement at a time, with the migration
 * around it and the schema as the migrations before it left it, and reports through the context.
 * Rules hold no state between calls; anything a rule needs to remember is in the context.
 */
public interface Rule {

    /** The rule id of LINT_HAZARDS.md, such as {@code create-index-non-concurrent}. */
    String id();

    /** The default severity. */
    Severity severity();

    /** Checks one statement; calls {@link StatementContext#report} for each hazard found. */
    void check(StatementContext ctx);

    /**
     * Whether {@link #check} can report anything on a statement with this command tag
     * ({@link dev.reverso.sql.Classification#command()}); the linter calls it only for those. The
     * default, every command, is always right; a narrower answer spares the call on the statements
     * a rule never reports on (most rules are about one or two commands, and a large file has
     * hundreds of thousands of statements). It must be true for every command the rule can
     * report on, and depend on nothing but the command.
     */
    default boolean handles(String command) {
        return true;
    }

    /**
     * Whether only the first finding in a file counts: for hazards of the file's settings (a
     * missing timeout), which one line of SQL fixes for every statement after it.
     */
    default boolean oncePerFile() {
        return false;
    }
}
