package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;

import java.util.List;

/** The rules of LINT_HAZARDS.md section 2a (locks and rewrites, #1-27), in the list's order. */
public final class LockRules {

    private LockRules() {
    }

    public static List<Rule> all() {
        return List.of(
                new CreateIndexNonConcurrent(),
                new DropIndexNonConcurrent(),
                new ReindexNonConcurrent(),
                new StatementForbiddenInTransaction(),
                new ConcurrentIndexIfNotExists(),
                new AddColumnDefaultRewrite(),
                new AddColumnSerialOrIdentity(),
                new AddColumnGeneratedStored(),
                new ChangeColumnTypeRewrite(),
                new SetNotNull(),
                new AddCheckWithoutNotValid(),
                new AddForeignKeyWithoutNotValid(),
                new ValidateInSameTransaction(),
                new AddUniqueConstraint(),
                new AddPrimaryKey(),
                new AddExclusionConstraint(),
                new VacuumFullOrCluster(),
                new RewriteViaTableOption(),
                new DetachPartitionNonConcurrent(),
                new AttachPartitionWithoutCheck(),
                new RefreshMatviewNonConcurrent(),
                new DomainConstraint(),
                new ExplicitLockTable(),
                new LockHeldAcrossStatements(),
                new UnbatchedBackfill(),
                new MissingLockTimeout(),
                new MissingStatementTimeout());
    }
}
