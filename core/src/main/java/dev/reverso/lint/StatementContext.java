package dev.reverso.lint;

import dev.reverso.engine.Step;
import dev.reverso.sql.Classification;
import dev.reverso.sql.Token;

import java.util.List;
import java.util.function.Consumer;

/**
 * What a rule sees of one statement: the statement and its classification, the migration it is
 * in (as Reverso's runner would run it), the schema before it, and the settings; and where the
 * rule reports what it finds.
 */
public final class StatementContext {

    private final MigrationFile migration;
    private final int index;
    private final SchemaState schema;
    private final LintSettings settings;
    private final Consumer<Finding> sink;
    private final Readings readings;
    private Rule rule;

    StatementContext(MigrationFile migration, int index, SchemaState schema, LintSettings settings, Consumer<Finding> sink,
                     Readings readings) {
        this.migration = migration;
        this.index = index;
        this.schema = schema;
        this.settings = settings;
        this.sink = sink;
        this.readings = readings;
    }

    /**
     * A fact about the whole migration, computed once per file and shared by every statement's
     * context: what a rule would otherwise recompute by scanning {@link #before()} for each
     * statement, which is quadratic on a file of many thousand statements. The key must identify
     * the computation (a rule-specific record or string).
     */
    public <T> T perFile(Object key, java.util.function.Function<MigrationFile, T> compute) {
        return readings.ofFile(key, compute, migration);
    }

    void ruleNow(Rule r) {
        this.rule = r;
    }

    public Step step() {
        return migration.steps().get(index);
    }

    public Classification classification() {
        return step().classification();
    }

    /** The statement's significant tokens (no comments or whitespace). */
    public List<Token> tokens() {
        return step().statement().tokens();
    }

    /** The statement's text as written. */
    public String sql() {
        return step().sql();
    }

    /**
     * A reading of this statement shared by the rules that need it (the parsed ALTER TABLE
     * actions, say), so that it is parsed once rather than once per rule (and once for both rule
     * passes). It must depend on the statement alone, and the key must identify the computation.
     * {@code compute} is given this context; a lambda that captures nothing is not allocated at
     * each call, as one that captures the context would be.
     */
    public <T> T perStatement(Object key, java.util.function.Function<StatementContext, T> compute) {
        return readings.ofStatement(index, key, compute, this);
    }

    public MigrationFile migration() {
        return migration;
    }

    /** This statement's 0-based position in its migration. */
    public int index() {
        return index;
    }

    /** The statements of the migration before this one. */
    public List<Step> before() {
        return migration.steps().subList(0, index);
    }

    /** The statements of the migration after this one. */
    public List<Step> after() {
        return migration.steps().subList(index + 1, migration.steps().size());
    }

    /** The schema as the statements before this one left it. */
    public SchemaState schema() {
        return schema;
    }

    public LintSettings settings() {
        return settings;
    }

    /** Whether this migration created the relation before this statement (exempt from the lock rules). */
    public boolean createdInThisMigration(String relation) {
        return schema.createdInCurrentMigration(relation);
    }

    /** Reports a finding at the rule's severity. */
    public void report(String message, String rewrite) {
        report(rule.severity(), message, rewrite);
    }

    /** Reports a finding at a given severity (for rules whose severity depends on the case). */
    public void report(Severity severity, String message, String rewrite) {
        Step step = step();
        Severity level = settings.severities().getOrDefault(rule.id(), severity);
        sink.accept(new Finding(rule.id(), level, migration.file(), step.line(), step.statement().column(), step.summary(),
                step.classification().lock(), step.classification().lock().blocks(), message, rewrite,
                mostLocked(step.classification().locks()), null));
    }

    /** The relation under the strongest lock, the first of equals; a loop, as this runs for every finding. */
    private static String mostLocked(List<dev.reverso.sql.RelationLock> locks) {
        dev.reverso.sql.RelationLock most = null;
        for (dev.reverso.sql.RelationLock lock : locks) {
            if (most == null || lock.mode().compareTo(most.mode()) > 0) {
                most = lock;
            }
        }
        return most == null ? null : most.relation();
    }
}
