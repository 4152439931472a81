package dev.reverso.lint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Scores a linter's findings on a corpus of migrations against the rule ids expected of each file
 * ({@code expected.tsv}: {@code file<TAB>id,id,...}, an empty list for a safe file). Used by the
 * corpus test and by the squawk comparison (bench), so that both linters are scored the same way.
 *
 * <p>Per file, the findings are reduced to the set of rule ids found; then
 * <ul>
 * <li>recall = expected ids found / expected ids,</li>
 * <li>precision = ids found that were expected / ids found,</li>
 * <li>safe files flagged = files expected to be safe (empty list) with a finding that flags
 *     (warning or error for Reverso; any finding for squawk, which has no info level).</li>
 * </ul>
 *
 * @param expected the expected ids per file, in file order
 * @param found the ids found per file
 * @param flagged the files with a flagging finding
 * @param apart findings that map to no rule id (squawk rules without a Reverso equivalent), per file; not scored
 */
public record CorpusScore(Map<String, Set<String>> expected, Map<String, Set<String>> found, Set<String> flagged,
                          Map<String, Set<String>> apart) {

    /** One finding, reduced to what the score needs. */
    public record Hit(String file, String ruleId, boolean flags) {
    }

    public CorpusScore {
        expected = copy(expected);
        found = copy(found);
        flagged = java.util.Collections.unmodifiableSet(new TreeSet<>(flagged));
        apart = copy(apart);
    }

    /** Scores hits against the expected ids; hits on files not in {@code expected} are scored as on safe files. */
    public static CorpusScore of(Map<String, Set<String>> expected, Collection<Hit> hits) {
        Map<String, Set<String>> exp = new LinkedHashMap<>(expected);
        Map<String, Set<String>> found = new TreeMap<>();
        Set<String> flagged = new TreeSet<>();
        for (Hit h : hits) {
            exp.putIfAbsent(h.file(), Set.of());
            found.computeIfAbsent(h.file(), k -> new TreeSet<>()).add(h.ruleId());
            if (h.flags()) {
                flagged.add(h.file());
            }
        }
        return new CorpusScore(exp, found, flagged, Map.of());
    }

    /** Scores Reverso's report: a finding flags at warning or error. File names are reduced to their last path element. */
    public static CorpusScore ofReport(Map<String, Set<String>> expected, LintReport report) {
        List<Hit> hits = report.findings().stream()
                .map(f -> new Hit(baseName(f.file()), f.ruleId(), f.severity().compareTo(Severity.WARNING) >= 0))
                .toList();
        return of(expected, hits);
    }

    /**
     * Scores another linter's findings given as (file, its own rule name) through a map from its
     * rule names to Reverso ids. A rule mapped to several ids counts for the first of them that the
     * file expects, else for the first one. Rules mapped to {@code -} or not in the map are kept
     * apart, unscored. Every mapped finding flags (squawk has no info level).
     */
    public static CorpusScore ofMapped(Map<String, Set<String>> expected, Collection<Map.Entry<String, String>> findings,
                                       Map<String, List<String>> ruleMap) {
        List<Hit> hits = new ArrayList<>();
        Map<String, Set<String>> apart = new TreeMap<>();
        for (Map.Entry<String, String> e : findings) {
            String file = baseName(e.getKey());
            List<String> ids = ruleMap.getOrDefault(e.getValue(), List.of());
            if (ids.isEmpty()) {
                apart.computeIfAbsent(file, k -> new TreeSet<>()).add(e.getValue());
                continue;
            }
            Set<String> want = expected.getOrDefault(file, Set.of());
            String id = ids.stream().filter(want::contains).findFirst().orElse(ids.get(0));
            hits.add(new Hit(file, id, true));
        }
        CorpusScore s = of(expected, hits);
        return new CorpusScore(s.expected(), s.found(), s.flagged(), apart);
    }

    // ---- figures -------------------------------------------------------------------------------

    public int expectedCount() {
        return expected.values().stream().mapToInt(Set::size).sum();
    }

    public int foundCount() {
        return found.values().stream().mapToInt(Set::size).sum();
    }

    /** Expected ids that were found. */
    public int caught() {
        int n = 0;
        for (var e : expected.entrySet()) {
            Set<String> f = found.getOrDefault(e.getKey(), Set.of());
            n += (int) e.getValue().stream().filter(f::contains).count();
        }
        return n;
    }

    public double recall() {
        return expectedCount() == 0 ? 1.0 : (double) caught() / expectedCount();
    }

    /** Ids found that were expected, over ids found; 1.0 when nothing was found. */
    public double precision() {
        return foundCount() == 0 ? 1.0 : (double) caught() / foundCount();
    }

    public List<String> safeFiles() {
        return expected.entrySet().stream().filter(e -> e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
    }

    public List<String> safeFilesFlagged() {
        return safeFiles().stream().filter(flagged::contains).toList();
    }

    /** (file, id) pairs expected but not found. */
    public List<String[]> misses() {
        List<String[]> out = new ArrayList<>();
        expected.forEach((file, ids) -> ids.stream().filter(id -> !found.getOrDefault(file, Set.of()).contains(id))
                .forEach(id -> out.add(new String[] {file, id})));
        return out;
    }

    /** (file, id) pairs found but not expected. */
    public List<String[]> falseAlarms() {
        List<String[]> out = new ArrayList<>();
        found.forEach((file, ids) -> ids.stream().filter(id -> !expected.getOrDefault(file, Set.of()).contains(id))
                .forEach(id -> out.add(new String[] {file, id})));
        return out;
    }

    /** Per rule id: {expected, caught, false alarms}, sorted by id. */
    public Map<String, int[]> perRule() {
        Map<String, int[]> out = new TreeMap<>();
        expected.forEach((file, ids) -> ids.forEach(id -> {
            int[] c = out.computeIfAbsent(id, k -> new int[3]);
            c[0]++;
            if (found.getOrDefault(file, Set.of()).contains(id)) {
                c[1]++;
            }
        }));
        for (String[] fa : falseAlarms()) {
            out.computeIfAbsent(fa[1], k -> new int[3])[2]++;
        }
        return out;
    }

    /** The figures, the per-rule table, the misses and the false alarms, as plain text (markdown tables). */
    public String table(String linter) {
        StringBuilder b = new StringBuilder();
        int files = expected.size();
        int safe = safeFiles().size();
        b.append(String.format(Locale.ROOT, "%s on %d files (%d with hazards, %d safe), %d expected hazards%n", linter, files,
                files - safe, safe, expectedCount()));
        b.append(String.format(Locale.ROOT, "  caught:        %d / %d = %.1f %% (recall)%n", caught(), expectedCount(),
                100 * recall()));
        b.append(String.format(Locale.ROOT, "  right:         %d / %d = %.1f %% (precision)%n", caught(), foundCount(),
                100 * precision()));
        b.append(String.format(Locale.ROOT, "  safe flagged:  %d / %d%s%n", safeFilesFlagged().size(), safe,
                safeFilesFlagged().isEmpty() ? "" : "  " + String.join(" ", safeFilesFlagged())));
        b.append("\n| rule id | expected | caught | false alarms |\n|---|---:|---:|---:|\n");
        perRule().forEach((id, c) -> b.append("| ").append(id).append(" | ").append(c[0]).append(" | ").append(c[1])
                .append(" | ").append(c[2]).append(" |\n"));
        List<String[]> misses = misses();
        b.append("\nmisses (").append(misses.size()).append("):\n");
        misses.forEach(m -> b.append("  ").append(m[0]).append("  ").append(m[1]).append('\n'));
        List<String[]> fas = falseAlarms();
        b.append("false alarms (").append(fas.size()).append("):\n");
        fas.forEach(m -> b.append("  ").append(m[0]).append("  ").append(m[1]).append('\n'));
        if (!apart.isEmpty()) {
            b.append("findings with no Reverso equivalent (not scored):\n");
            apart.forEach((file, rules) -> b.append("  ").append(file).append("  ").append(String.join(",", rules)).append('\n'));
        }
        return b.toString();
    }

    // ---- corpus files ---------------------------------------------------------------------------

    /** Reads expected.tsv: {@code file<TAB>id,id}; blank lines and lines starting with # are skipped. */
    public static Map<String, Set<String>> readExpected(Path tsv) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (String[] row : rows(tsv)) {
            Set<String> ids = new LinkedHashSet<>();
            if (row.length > 1) {
                Arrays.stream(row[1].split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(ids::add);
            }
            if (out.put(row[0].trim(), ids) != null) {
                throw new IllegalArgumentException(tsv + ": " + row[0] + " is listed twice");
            }
        }
        return out;
    }

    /** Reads squawk-map.tsv: {@code squawk-rule<TAB>id[,id...]} or {@code -}. */
    public static Map<String, List<String>> readRuleMap(Path tsv) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String[] row : rows(tsv)) {
            String to = row.length > 1 ? row[1].trim() : "-";
            out.put(row[0].trim(), to.equals("-") ? List.of()
                    : Arrays.stream(to.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
        }
        return out;
    }

    /** The corpus's *.sql files in file-name order, as one migration history. */
    public static List<Linter.Source> readCorpus(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> sql = files.filter(p -> p.getFileName().toString().endsWith(".sql")).sorted().toList();
            List<Linter.Source> out = new ArrayList<>(sql.size());
            for (Path p : sql) {
                out.add(new Linter.Source(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String[]> rows(Path tsv) {
        try {
            return Files.readAllLines(tsv, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(l -> l.split("\t", -1))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String baseName(String file) {
        int slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
        return slash < 0 ? file : file.substring(slash + 1);
    }

    private static Map<String, Set<String>> copy(Map<String, Set<String>> m) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, java.util.Collections.unmodifiableSet(new TreeSet<>(v))));
        return java.util.Collections.unmodifiableMap(out);
    }
}
