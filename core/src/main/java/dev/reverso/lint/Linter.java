package dev.reverso.lint;

import dev.reverso.engine.Script;
import dev.reverso.engine.Step;
import dev.reverso.source.MigrationFolder;
import dev.reverso.sql.Classification;
import dev.reverso.sql.Classifier;
import dev.reverso.sql.Lexer;
import dev.reverso.sql.LockMode;
import dev.reverso.sql.SqlSyntaxException;
import dev.reverso.sql.Statement;
import dev.reverso.sql.StatementSplitter;
import dev.reverso.sql.Token;
import dev.reverso.sql.TokenType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the rules over migrations in version order, replaying each statement into the
 * {@link SchemaState} after the rules have seen it, so that a migration is linted against the
 * schema the earlier ones leave. It never throws on bad SQL: a syntax error is a finding.
 */
public final class Linter {

    /** The built-in findings that are not hazards of the SQL but of the file. */
    public static final String SYNTAX_ERROR = "syntax-error";
    public static final String UNKNOWN_STATEMENT = "unknown-statement";
    public static final String SUPPRESSION_WITHOUT_REASON = "suppression-without-reason";

    private static final Pattern IGNORE = Pattern.compile("--\\s*reverso:ignore\\s+([a-z0-9-]+(?:\\s*,\\s*[a-z0-9-]+)*)\\s*(.*)",
            Pattern.CASE_INSENSITIVE);

    private final List<Rule> rules;
    private final java.util.Set<String> oncePerFile;
    private final LintSettings settings;
    private final Classifier classifier = new Classifier();

    public Linter(List<Rule> rules, LintSettings settings) {
        this.rules = rules.stream().filter(r -> !settings.disabled().contains(r.id())).toList();
        this.oncePerFile = this.rules.stream().filter(Rule::oncePerFile).map(Rule::id).collect(java.util.stream.Collectors.toSet());
        this.settings = settings;
    }

    /** One file to lint: its name and its text. */
    public record Source(String file, String text) {
    }

    /** Lints migrations in the order given (version order), the schema carried from one to the next. */
    public LintReport lint(List<Source> sources) {
        return lint(sources, null);
    }

    /**
     * Lints migrations against a schema that starts as {@code baseline} describes it: SQL (a
     * {@code pg_dump --schema-only} of the live database, in connected mode) that is replayed,
     * not linted, so rules know the live tables' columns, types, constraints and indexes.
     * A baseline that does not parse is ignored.
     */
    public LintReport lint(List<Source> sources, String baseline) {
        SchemaState schema = new SchemaState();
        if (baseline != null) {
            try {
                for (Statement s : StatementSplitter.split(baseline)) {
                    schema.apply(new Step(0, s, classifier.classify(s)));
                }
            } catch (SqlSyntaxException e) {
                // The baseline only sharpens the rules; without it they judge from the migrations alone.
            }
        }
        List<Finding> findings = new ArrayList<>();
        int statements = 0;
        RulesByCommand byCommand = new RulesByCommand(rules);
        for (Source source : sources) {
            schema.startMigration();
            statements += lintFile(source, schema, findings, byCommand);
        }
        findings.sort(Comparator.comparing(Finding::file).thenComparingInt(Finding::line).thenComparingInt(Finding::column)
                .thenComparing(Finding::ruleId));
        return new LintReport(findings, sources.size(), statements);
    }

    private int lintFile(Source source, SchemaState schema, List<Finding> findings, RulesByCommand byCommand) {
        List<Statement> statements;
        List<Token> tokens;
        try {
            statements = StatementSplitter.split(source.text());
            // Lexing twice costs time and memory on large files; only a file with suppressions needs its comments.
            tokens = source.text().contains("reverso:ignore") ? Lexer.tokenize(source.text()) : List.of();
        } catch (SqlSyntaxException e) {
            if (!settings.disabled().contains(SYNTAX_ERROR)) {
                findings.add(new Finding(SYNTAX_ERROR, Severity.ERROR, source.file(), e.line(), e.column(), "", LockMode.NONE,
                        LockMode.NONE.blocks(), e.getMessage(), "fix the SQL", null, null));
            }
            return 0;
        }
        MigrationFile migration = migration(source, statements);
        List<Suppression> suppressions = suppressions(source.file(), tokens, findings);
        java.util.Set<String> reportedOnce = new java.util.HashSet<>();
        java.util.Map<Object, Object> perFile = new java.util.HashMap<>();
        for (int i = 0; i < migration.steps().size(); i++) {
            Step step = migration.steps().get(i);
            int from = i == 0 ? 0 : lastLine(migration.steps().get(i - 1));
            List<Finding> found = new ArrayList<>();
            StatementContext ctx = new StatementContext(migration, i, schema, settings, found::add, perFile);
            builtIn(step, ctx, found);
            for (Rule rule : byCommand.rulesFor(step.classification().command())) {
                if (rule.oncePerFile() && reportedOnce.contains(rule.id())) {
                    // Its finding in this file is out already; any other would be dropped below.
                    continue;
                }
                ctx.ruleNow(rule);
                rule.check(ctx);
            }
            for (Finding f : found) {
                boolean suppressed = suppressions.stream().anyMatch(s -> s.line() > from && s.line() < step.line()
                        && s.rules().contains(f.ruleId()));
                if (!suppressed && (!oncePerFile.contains(f.ruleId()) || reportedOnce.add(f.ruleId()))) {
                    findings.add(f);
                }
            }
            schema.apply(step);
        }
        return migration.steps().size();
    }

    private MigrationFile migration(Source source, List<Statement> statements) {
        List<Step> steps = new ArrayList<>(statements.size());
        List<Classification> classes = new ArrayList<>(statements.size());
        for (Statement s : statements) {
            Classification c = classifier.classify(s);
            steps.add(new Step(steps.size() + 1, s, c));
            classes.add(c);
        }
        boolean explicit = classes.stream().anyMatch(c -> c.command().equals("BEGIN") || c.command().equals("START TRANSACTION"));
        boolean stepByStep = Script.runsStepByStep(MigrationFolder.declaresNoTransaction(source.text()), classes);
        return new MigrationFile(source.file(), steps, !stepByStep, explicit);
    }

    private void builtIn(Step step, StatementContext ctx, List<Finding> found) {
        Classification c = step.classification();
        Token unclosed = unclosedParenthesis(step);
        if (unclosed != null && !settings.disabled().contains(SYNTAX_ERROR)) {
            found.add(new Finding(SYNTAX_ERROR, Severity.ERROR, ctx.migration().file(), unclosed.line(), unclosed.column(),
                    step.summary(), LockMode.NONE, LockMode.NONE.blocks(), "unbalanced parenthesis at line " + unclosed.line()
                    + ", column " + unclosed.column(), "fix the SQL", null, null));
            return;
        }
        if (!c.recognised() && !settings.disabled().contains(UNKNOWN_STATEMENT)) {
            found.add(new Finding(UNKNOWN_STATEMENT, settings.severities().getOrDefault(UNKNOWN_STATEMENT, Severity.INFO),
                    ctx.migration().file(), step.line(), step.statement().column(), step.summary(), c.lock(), c.lock().blocks(),
                    "Reverso cannot see what " + c.command() + " locks; it is linted as if it took " + c.lock().sqlName(),
                    "prefer plain DDL the linter can see through", null, null));
        }
    }

    /** The first parenthesis that is never closed, or a closing one without an opening; null when balanced. */
    private static Token unclosedParenthesis(Step step) {
        java.util.ArrayDeque<Token> open = new java.util.ArrayDeque<>();
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

    private record Suppression(int line, List<String> rules) {
    }

    private List<Suppression> suppressions(String file, List<Token> tokens, List<Finding> findings) {
        List<Suppression> out = new ArrayList<>();
        for (Token t : tokens) {
            if (t.type() != TokenType.LINE_COMMENT) {
                continue;
            }
            Matcher m = IGNORE.matcher(t.text().strip());
            if (!m.matches()) {
                continue;
            }
            List<String> ids = List.of(m.group(1).toLowerCase(java.util.Locale.ROOT).split("\\s*,\\s*"));
            out.add(new Suppression(t.line(), ids));
            if (m.group(2).isBlank() && !settings.disabled().contains(SUPPRESSION_WITHOUT_REASON)) {
                findings.add(new Finding(SUPPRESSION_WITHOUT_REASON,
                        settings.severities().getOrDefault(SUPPRESSION_WITHOUT_REASON, Severity.WARNING), file, t.line(),
                        t.column(), t.text().strip(), LockMode.NONE, LockMode.NONE.blocks(),
                        "a suppression must say why the hazard is acceptable here",
                        t.text().strip() + " <why it is safe here>", null, null));
            }
        }
        return out;
    }

    private static int lastLine(Step step) {
        List<Token> tokens = step.statement().tokens();
        return tokens.isEmpty() ? step.line() : tokens.get(tokens.size() - 1).line();
    }
}
