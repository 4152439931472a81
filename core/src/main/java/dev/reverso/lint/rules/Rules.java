package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;

import java.util.ArrayList;
import java.util.List;

/** Every rule Reverso knows, in the order of LINT_HAZARDS.md. */
public final class Rules {

    private Rules() {
    }

    public static List<Rule> all() {
        List<Rule> all = new ArrayList<>();
        all.addAll(LockRules.all());
        all.addAll(SafetyRules.all());
        all.addAll(DesignRules.all());
        return List.copyOf(all);
    }
}
