package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;

import java.util.List;

/** The rules of LINT_HAZARDS.md section 2d (schema design, #44-51). */
public final class DesignRules {

    private DesignRules() {
    }

    public static List<Rule> all() {
        return List.of(
                new PreferBigint(),
                new PreferIdentity(),
                new PreferTextOverVarchar(),
                new CharType(),
                new PreferTimestamptz(),
                new JsonColumn(),
                new EnumValueOrdering(),
                new FkWithoutIndex());
    }
}
