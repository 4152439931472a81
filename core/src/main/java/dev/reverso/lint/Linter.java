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
import dev.reverso.sql.Token;
import dev.reverso.sql.TokenType;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
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

    /** Below this many statements in all, one pass over all the rules on one thread. */
    private static final int PARALLEL_FROM_STATEMENTS = 2_000;

    private final List<Rule> rules;
    private final LintSettings settings;
    private final int parallelFromStatements;
    private final Classifier classifier = new Classifier();

    public Linter(List<Rule> rules, LintSettings settings) {
        this(rules, settings, PARALLEL_FROM_STATEMENTS);
    }

    /** A linter that splits the rules over two threads from this many statements on (for tests). */
    Linter(List<Rule> rules, LintSettings settings, int parallelFromStatements) {
        this.rules = rules.stream().filter(r -> !settings.disabled().contains(r.id())).toList();
        this.settings = settings;
        this.parallelFromStatements = parallelFromStatements;
    }

    /** One file to lint: its name and its text. */
    public record Source(String file, String text) {
    }

    /** Lints migrations in the order given (version order), the schema carried from one to the next. */
    public LintReport lint(List<Source> sources) {
        return lint(sources, new SchemaState());
    }

    /**
     * Lints migrations replayed onto {@code schema} rather than onto an empty schema: in connected
     * mode the live one ({@link LiveSchema}), so rules know the live tables' columns, types,
     * constraints and indexes. Each pass of rules replays onto its own copy; {@code schema} itself
     * is left as it was.
     */
    public LintReport lint(List<Source> sources, SchemaState schema) {
        List<ParsedMigration> files = new ArrayList<>(sources.size());
        List<Finding> documentFindings = new ArrayList<>();
        int statements = 0;
        for (Source source : sources) {
            List<Source> parts = OperationLint.handles(source.file())
                    ? OperationLint.lint(source, settings, documentFindings) : List.of(source);
            for (Source part : parts) {
                ParsedMigration file = parse(part);
                files.add(file);
                statements += file.statements();
            }
        }
        List<List<Rule>> groups = groups(statements);
        List<Readings> readings = files.stream().map(f -> new Readings(f.statements(), groups.size())).toList();
        List<Finding> findings = new ArrayList<>(documentFindings);
        if (groups.size() == 1) {
            findings.addAll(new RulePass(groups.get(0), true, settings).run(schema.copy(), files, readings));
            findings.sort(Linter::inReportOrder);
            return new LintReport(findings, sources.size(), statements);
        }
        // The second group of rules runs on another core, with its own replay of the schema, and
        // sorts its findings there. Each rule's findings come out of one pass in statement order,
        // the sorts are stable and order by rule id last, and findings that compare equal come from
        // one rule, so one pass; the merge is the report one pass over all the rules would give.
        FutureTask<List<Finding>> second = new FutureTask<>(() -> {
            List<Finding> found = new RulePass(groups.get(1), false, settings).run(schema.copy(), files, readings);
            found.sort(Linter::inReportOrder);
            return found;
        });
        Thread helper = new Thread(second, "reverso-lint-rules");
        helper.setDaemon(true);
        helper.start();
        findings.addAll(new RulePass(groups.get(0), true, settings).run(schema.copy(), files, readings));
        findings.sort(Linter::inReportOrder);
        return new LintReport(merge(findings, join(second)), sources.size(), statements);
    }

    /** Two lists in report order as one, the first's findings before the second's equal ones. */
    private static List<Finding> merge(List<Finding> a, List<Finding> b) {
        List<Finding> out = new ArrayList<>(a.size() + b.size());
        int i = 0;
        int j = 0;
        while (i < a.size() && j < b.size()) {
            out.add(inReportOrder(a.get(i), b.get(j)) <= 0 ? a.get(i++) : b.get(j++));
        }
        out.addAll(a.subList(i, a.size()));
        out.addAll(b.subList(j, b.size()));
        return out;
    }

    /**
     * By file, line, column and rule. One method rather than a chain of key extractors: a large
     * file has a hundred thousand findings to sort, and the chain's calls cost more than the compares.
     */
    private static int inReportOrder(Finding a, Finding b) {
        // The same String for every finding of a file: equal without comparing its characters.
        int byFile = a.file() == b.file() ? 0 : a.file().compareTo(b.file());
        if (byFile != 0) {
            return byFile;
        }
        if (a.line() != b.line()) {
            return Integer.compare(a.line(), b.line());
        }
        if (a.column() != b.column()) {
            return Integer.compare(a.column(), b.column());
        }
        return a.ruleId().compareTo(b.ruleId());
    }

    /**
     * The rules in one group, or in two of about the same cost ({@link PassSplit}) for two cores
     * when there is enough to lint that a second replay of the schema and a thread cost less than
     * they save.
     */
    private List<List<Rule>> groups(int statements) {
        if (statements < parallelFromStatements || rules.size() < 2 || Runtime.getRuntime().availableProcessors() < 2) {
            return List.of(rules);
        }
        return PassSplit.of(rules);
    }

    private static <T> T join(FutureTask<T> pass) {
        try {
            return pass.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while linting", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Splits and classifies one file, reading its suppressions; a file that does not split is one finding. */
    private ParsedMigration parse(Source source) {
        ClassifiedStatements.Result statements;
        List<Token> tokens;
        try {
            // About 100 characters a statement: a long file is classified on a helper thread as it is split.
            boolean twoThreads = source.text().length() / 100 >= parallelFromStatements
                    && Runtime.getRuntime().availableProcessors() >= 2;
            statements = ClassifiedStatements.read(source.text(), classifier, twoThreads);
            // Lexing twice costs time and memory on large files; only a file with suppressions needs its comments.
            tokens = source.text().contains("reverso:ignore") ? Lexer.tokenize(source.text()) : List.of();
        } catch (SqlSyntaxException e) {
            List<Finding> error = new ArrayList<>();
            if (!settings.disabled().contains(SYNTAX_ERROR)) {
                error.add(new Finding(SYNTAX_ERROR, Severity.ERROR, source.file(), e.line(), e.column(), "", LockMode.NONE,
                        LockMode.NONE.blocks(), e.getMessage(), "fix the SQL", null, null));
            }
            return new ParsedMigration(null, List.of(), error);
        }
        MigrationFile migration = migration(source, statements);
        List<Finding> fileFindings = new ArrayList<>();
        List<Suppression> suppressions = suppressions(source.file(), tokens, fileFindings);
        return new ParsedMigration(migration, suppressions, fileFindings);
    }

    private MigrationFile migration(Source source, ClassifiedStatements.Result read) {
        List<Statement> statements = read.statements();
        List<Classification> classes = read.classes();
        List<Step> steps = new ArrayList<>(statements.size());
        for (int i = 0; i < statements.size(); i++) {
            steps.add(new Step(i + 1, statements.get(i), classes.get(i)));
        }
        boolean explicit = classes.stream().anyMatch(c -> c.command().equals("BEGIN") || c.command().equals("START TRANSACTION"));
        boolean stepByStep = Script.runsStepByStep(MigrationFolder.declaresNoTransaction(source.text()), classes);
        return new MigrationFile(source.file(), steps, !stepByStep, explicit);
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
}
