package dev.reverso.lint;

import dev.reverso.lint.rules.Rules;

import java.util.ArrayList;
import java.util.List;

/** Lints SQL given inline, as one or more migration files, with every rule: what rule tests use. */
public final class LintCase {

    private final List<Linter.Source> sources = new ArrayList<>();
    private LintSettings settings = LintSettings.defaults();

    public static LintCase of(String sql) {
        return new LintCase().then(sql);
    }

    /** Adds a later migration. */
    public LintCase then(String sql) {
        sources.add(new Linter.Source(String.format("%04d_case.up.sql", sources.size() + 1), sql));
        return this;
    }

    public LintCase with(LintSettings s) {
        this.settings = s;
        return this;
    }

    public List<Finding> findings() {
        return new Linter(Rules.all(), settings).lint(sources).findings();
    }

    /** The rule ids found, in order. */
    public List<String> ids() {
        return findings().stream().map(Finding::ruleId).toList();
    }
}
