package dev.reverso.lint;

import dev.reverso.engine.Step;
import dev.reverso.sql.Classification;
import dev.reverso.sql.LockMode;
import dev.reverso.sql.Token;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Some of the rules run over the parsed migrations in order, with a schema replay of their own:
 * the starting schema (empty, or the live one), then each statement after the rules have seen it. The linter runs one pass with
 * all the rules, or two passes with a share of them each on two threads; nothing is shared between
 * passes but the immutable parsed files. The first pass also reports the linter's own findings
 * (the file's, unbalanced parentheses, unknown statements).
 */
final class RulePass {

    private static final String SCHEMA_EDIT = "schema:edit";

    private final LintSettings settings;
    private final boolean first;
    private final Set<String> oncePerFile = new HashSet<>();
    private final RulesByCommand byCommand;

    RulePass(List<Rule> rules, boolean first, LintSettings settings) {
        this.settings = settings;
        this.first = first;
        this.byCommand = new RulesByCommand(rules);
        rules.stream().filter(Rule::oncePerFile).forEach(r -> oncePerFile.add(r.id()));
    }

    /**
     * @param schema the schema before the first migration, this pass's own to replay onto
     * @param readings for each file, the readings of its statements, shared with the other pass
     */
    List<Finding> run(SchemaState schema, List<ParsedMigration> files, List<Readings> readings) {
        List<Finding> findings = new ArrayList<>();
        for (int f = 0; f < files.size(); f++) {
            ParsedMigration file = files.get(f);
            schema.startMigration();
            if (first) {
                findings.addAll(file.fileFindings());
            }
            if (file.migration() != null) {
                lintFile(file, readings.get(f), schema, findings);
            }
        }
        return findings;
    }

    private void lintFile(ParsedMigration file, Readings readings, SchemaState schema, List<Finding> findings) {
        MigrationFile migration = file.migration();
        List<Suppression> suppressions = file.suppressions();
        Set<String> reportedOnce = new HashSet<>();
        List<Finding> found = new ArrayList<>();
        Consumer<Finding> sink = found::add;
        for (int i = 0; i < migration.steps().size(); i++) {
            Step step = migration.steps().get(i);
            int from = i == 0 ? 0 : lastLine(migration.steps().get(i - 1));
            found.clear();
            StatementContext ctx = new StatementContext(migration, i, schema, settings, sink, readings);
            if (first) {
                builtIn(step, ctx, found);
            }
            for (Rule rule : byCommand.rulesFor(step.classification().command())) {
                if (rule.oncePerFile() && reportedOnce.contains(rule.id())) {
                    // Its finding in this file is out already; any other would be dropped below.
                    continue;
                }
                ctx.ruleNow(rule);
                rule.check(ctx);
            }
            for (Finding f : found) {
                boolean suppressed = !suppressions.isEmpty() && suppressions.stream().anyMatch(s -> s.line() > from
                        && s.line() < step.line() && s.rules().contains(f.ruleId()));
                if (!suppressed && (!oncePerFile.contains(f.ruleId()) || reportedOnce.add(f.ruleId()))) {
                    findings.add(f);
                }
            }
            // Read once for both passes: reading the DDL is most of the replay's cost.
            schema.apply(step, readings.ofStatement(i, SCHEMA_EDIT, SchemaState::read, step));
            readings.done(i);
        }
    }

    private void builtIn(Step step, StatementContext ctx, List<Finding> found) {
        Classification c = step.classification();
        Token unclosed = unclosedParenthesis(step);
        if (unclosed != null && !settings.disabled().contains(Linter.SYNTAX_ERROR)) {
            found.add(new Finding(Linter.SYNTAX_ERROR, Severity.ERROR, ctx.migration().file(), unclosed.line(), unclosed.column(),
                    step.summary(), LockMode.NONE, LockMode.NONE.blocks(), "unbalanced parenthesis at line " + unclosed.line()
                    + ", column " + unclosed.column(), "fix the SQL", null, null));
            return;
        }
        if (!c.recognised() && !settings.disabled().contains(Linter.UNKNOWN_STATEMENT)) {
            found.add(new Finding(Linter.UNKNOWN_STATEMENT, settings.severities().getOrDefault(Linter.UNKNOWN_STATEMENT, Severity.INFO),
                    ctx.migration().file(), step.line(), step.statement().column(), step.summary(), c.lock(), c.lock().blocks(),
                    "Reverso cannot see what " + c.command() + " locks; it is linted as if it took " + c.lock().sqlName(),
                    "prefer plain DDL the linter can see through", null, null));
        }
    }

    /** The first parenthesis that is never closed, or a closing one without an opening; null when balanced. */
    private static Token unclosedParenthesis(Step step) {
        if (balanced(step.statement().tokens())) {
            return null;
        }
        ArrayDeque<Token> open = new ArrayDeque<>();
        for (Token t : step.statement().tokens()) {
            if (t.isSymbol("(")) {
                open.push(t);
            } else if (t.isSymbol(")")) {
                if (open.isEmpty()) {
                    return t;
                }
                open.pop();
            }
        }
        return open.isEmpty() ? null : open.peekLast();
    }

    /** Whether every parenthesis closes one opened before it and all are closed: most statements, told without a stack. */
    private static boolean balanced(List<Token> tokens) {
        int depth = 0;
        for (Token t : tokens) {
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")") && --depth < 0) {
                return false;
            }
        }
        return depth == 0;
    }

    private static int lastLine(Step step) {
        List<Token> tokens = step.statement().tokens();
        return tokens.isEmpty() ? step.line() : tokens.get(tokens.size() - 1).line();
    }
}
