package dev.reverso.bench;

import dev.reverso.lint.CorpusScore;
import dev.reverso.lint.LintReport;
import dev.reverso.lint.LintSettings;
import dev.reverso.lint.Linter;
import dev.reverso.lint.rules.Rules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reverso's side of bench/lint-vs-squawk.sh: scores the linter (or squawk's mapped findings) on
 * the lint corpus, and times the linter on big files. Scoring is {@link CorpusScore}, the same as
 * the corpus test's.
 *
 * <pre>
 * LintBench score CORPUS_DIR                     lint the corpus as one history, print the score
 * LintBench score-squawk CORPUS_DIR FINDINGS_TSV  score squawk: FINDINGS_TSV has file TAB squawk-rule lines
 * LintBench time [--runs N] FILE...             lint each FILE as one migration, N runs in this JVM
 * </pre>
 *
 * Rules: {@code Rules.all()}, settings: {@code LintSettings.defaults()} (PostgreSQL 15).
 */
public final class LintBench {

    private LintBench() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            usage();
        }
        switch (args[0]) {
            case "score" -> score(Path.of(args[1]));
            case "score-squawk" -> scoreSquawk(Path.of(args[1]), Path.of(args[2]));
            case "time" -> time(Arrays.copyOfRange(args, 1, args.length));
            default -> usage();
        }
    }

    private static void usage() {
        System.err.println("usage: LintBench score CORPUS_DIR | score-squawk CORPUS_DIR FINDINGS_TSV | time [--runs N] FILE...");
        System.exit(2);
    }

    private static void score(Path corpus) {
        List<Linter.Source> sources = CorpusScore.readCorpus(corpus);
        long t0 = System.nanoTime();
        LintReport report = new Linter(Rules.all(), LintSettings.defaults()).lint(sources);
        double ms = (System.nanoTime() - t0) / 1e6;
        CorpusScore score = CorpusScore.ofReport(CorpusScore.readExpected(corpus.resolve("expected.tsv")), report);
        System.out.print(score.table("Reverso (" + Rules.all().size() + " rules)"));
        System.out.printf(Locale.ROOT, "linted %d files, %d statements, %d findings in %.1f ms (first run, cold JVM)%n",
                report.files(), report.statements(), report.findings().size(), ms);
    }

    private static void scoreSquawk(Path corpus, Path findings) throws IOException {
        List<Map.Entry<String, String>> hits = new ArrayList<>();
        for (String line : Files.readAllLines(findings, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            hits.add(new AbstractMap.SimpleEntry<>(f[0], f[1]));
        }
        CorpusScore score = CorpusScore.ofMapped(CorpusScore.readExpected(corpus.resolve("expected.tsv")), hits,
                CorpusScore.readRuleMap(corpus.resolve("squawk-map.tsv")));
        System.out.print(score.table("squawk"));
    }

    private static void time(String[] args) throws IOException {
        int runs = 1;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--runs")) {
                runs = Integer.parseInt(args[++i]);
            } else {
                files.add(Path.of(args[i]));
            }
        }
        Linter linter = new Linter(Rules.all(), LintSettings.defaults());
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            List<Linter.Source> one = List.of(new Linter.Source(file.getFileName().toString(), text));
            double[] ms = new double[runs];
            LintReport report = null;
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                report = linter.lint(one);
                ms[r] = (System.nanoTime() - t0) / 1e6;
            }
            double[] sorted = ms.clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT,
                    "%s: %.1f MB, %d statements, %d findings; lint ms: first %.0f, min %.0f, median %.0f (%d runs)%n",
                    file.getFileName(), text.length() / 1e6, report.statements(), report.findings().size(), ms[0],
                    sorted[0], sorted[runs / 2], runs);
        }
    }
}
