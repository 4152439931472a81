package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;

import java.util.List;

/** The rules of LINT_HAZARDS.md section 2b and 2c (failure, correctness, compatibility, destruction, #28-43). */
public final class SafetyRules {

    private SafetyRules() {
    }

    public static List<Rule> all() {
        return List.of(
                new AddColumnRequired(),
                new UniquenessOnExistingData(),
                new AddEnumValueInTransaction(),
                new UnbalancedTransaction(),
                new NonAtomicMultiStatement(),
                new DuplicateColumnAssignment(),
                new IdentifierTooLong(),
                new DropColumn(),
                new DropTable(),
                new DropSchemaOrDatabase(),
                new RenameColumn(),
                new RenameTableOrSchema(),
                new RenameEnumValue(),
                new DropNotNull(),
                new TruncateTable(),
                new DropForeignKey());
    }
}
