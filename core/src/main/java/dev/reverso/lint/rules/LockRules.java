package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;

import java.util.List;

/** The rules of LINT_HAZARDS.md section 2a (locks and rewrites, #1-27). */
public final class LockRules {

    private LockRules() {
    }

    public static List<Rule> all() {
        return List.of(new CreateIndexNonConcurrent());
    }
}
