package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;

import java.util.List;

/** The rules of LINT_HAZARDS.md section 2b and 2c (failure, correctness, compatibility, destruction, #28-43). */
public final class SafetyRules {

    private SafetyRules() {
    }

    public static List<Rule> all() {
        return List.of();
    }
}
