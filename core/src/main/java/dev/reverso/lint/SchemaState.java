package dev.reverso.lint;

import dev.reverso.engine.Step;
import dev.reverso.sql.ObjectChange;
import dev.reverso.sql.ObjectKind;

import java.util.HashSet;
import java.util.Set;

/**
 * The schema as the migrations linted so far leave it, replayed statement by statement from the
 * SQL alone (no server needed): which tables exist and which were created by the migration being
 * linted. Rules use it to exempt new tables from lock rules and to know what an ALTER changes.
 *
 * <p>Relation names are compared the way the classifier reports them (unquoted, case-folded),
 * with a leading {@code public.} ignored, since unqualified names resolve there by default.
 */
public final class SchemaState {

    private final Set<String> tables = new HashSet<>();
    private final Set<String> createdInMigration = new HashSet<>();

    /** Starts a new migration: nothing is "created in this migration" any more. */
    public void startMigration() {
        createdInMigration.clear();
    }

    /** Whether the migration being linted created this relation before the current statement. */
    public boolean createdInCurrentMigration(String relation) {
        return createdInMigration.contains(normalise(relation));
    }

    /** Whether an earlier statement (this migration or an earlier one) created this table. */
    public boolean knownTable(String relation) {
        return tables.contains(normalise(relation));
    }

    /** Replays a statement's effect on the schema; called after the rules looked at it. */
    public void apply(Step step) {
        step.classification().change().ifPresent(this::apply);
    }

    private void apply(ObjectChange change) {
        if (change.kind() != ObjectKind.TABLE && change.kind() != ObjectKind.MATERIALIZED_VIEW
                && change.kind() != ObjectKind.INDEX && change.kind() != ObjectKind.VIEW) {
            return;
        }
        String name = normalise(change.schema() == null || change.kind() == ObjectKind.INDEX
                ? change.name() : change.schema() + "." + change.name());
        if (change.action() == ObjectChange.Action.CREATE) {
            tables.add(name);
            createdInMigration.add(name);
        } else {
            tables.remove(name);
            createdInMigration.remove(name);
        }
    }

    /** {@code public.users} and {@code users} are the same table. */
    public static String normalise(String relation) {
        return relation.startsWith("public.") ? relation.substring(7) : relation;
    }
}
