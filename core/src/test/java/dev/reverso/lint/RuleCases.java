package dev.reverso.lint;

import java.util.List;

/** Shared helpers of the rule tests: SQL with {@code ---} lines between migrations, findings of one rule. */
final class RuleCases {

    private RuleCases() {
    }

    /** Lints {@code sql} (migrations separated by a line {@code ---}) and returns the findings of one rule. */
    static List<Finding> findings(String ruleId, String sql, LintSettings settings) {
        String[] migrations = sql.split("\n---\n");
        LintCase lint = LintCase.of(migrations[0]).with(settings);
        for (int i = 1; i < migrations.length; i++) {
            lint.then(migrations[i]);
        }
        return lint.findings().stream().filter(f -> f.ruleId().equals(ruleId)).toList();
    }

    static List<Finding> findings(String ruleId, String sql) {
        return findings(ruleId, sql, LintSettings.defaults());
    }

    static Finding single(String ruleId, String sql) {
        List<Finding> found = findings(ruleId, sql);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + ruleId + " finding for " + sql + ", got " + found);
        }
        return found.get(0);
    }
}
