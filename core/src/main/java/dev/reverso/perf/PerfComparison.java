package dev.reverso.perf;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Compares a {@link Baseline} with the {@link CurrentStats}: what {@code verify --perf} reports. */
public final class PerfComparison {

    private final PerfSettings settings;

    public PerfComparison(PerfSettings settings) {
        this.settings = settings;
    }

    /** @param createdBy index name to the migration that created it since the baseline ({@link CreatedIndexes}) */
    public PerfReport compare(Baseline baseline, CurrentStats now, Map<String, String> createdBy) {
        List<String> notes = new ArrayList<>();
        List<PerfReport.StatementChange> statements = new ArrayList<>();
        Optional<String> statementsNote = statements(baseline, now, statements);
        Optional<Instant> reset = now.relationsReset().filter(r -> r.isAfter(baseline.takenAt()));
        reset.ifPresent(r -> notes.add("table and index statistics were reset at " + r + ", after the baseline: dead tuples"
                + " and index scans count from then"));
        Map<String, RelationSample> before = baseline.relations().stream()
                .collect(Collectors.toMap(r -> r.kind() + " " + r.qualified(), Function.identity(), (a, b) -> a));
        List<PerfReport.SizeChange> sizes = new ArrayList<>();
        List<PerfReport.UnusedIndex> unused = new ArrayList<>();
        for (RelationSample r : now.relations()) {
            RelationSample then = before.remove(r.kind() + " " + r.qualified());
            if (then == null) {
                if (r.isIndex() && r.scans() != null && r.scans() == 0 && !now.enforcingIndexes().contains(r.qualified())) {
                    unused.add(new PerfReport.UnusedIndex(r.schema(), r.name(), r.table(), r.bytes(), createdBy.get(r.name())));
                }
                continue;
            }
            PerfReport.SizeChange change = sizeChange(then, r);
            if (change.bytesBefore() != change.bytesNow() || change.bloated()) {
                sizes.add(change);
            }
        }
        before.values().stream().filter(r -> !r.isIndex()).forEach(r -> notes.add("table " + r.qualified()
                + " existed at the baseline and is gone now"));
        sizes.sort(Comparator.comparingLong((PerfReport.SizeChange s) -> Math.abs(s.bytesNow() - s.bytesBefore())).reversed());
        statements.sort(Comparator.comparingDouble(PerfReport.StatementChange::changePercent).reversed());
        return new PerfReport(baseline.id(), baseline.version(), baseline.takenAt(), settings, statementsNote.orElse(null), statements, sizes,
                unused, notes);
    }

    /** Fills {@code out} with the comparable statements; returns why none could be compared, if so. */
    private Optional<String> statements(Baseline baseline, CurrentStats now, List<PerfReport.StatementChange> out) {
        if (!now.tracking().usable()) {
            return now.tracking().howToEnable();
        }
        if (!baseline.statementsTracked()) {
            return Optional.of("the baseline of " + baseline.takenAt() + " has no statements (pg_stat_statements was not usable"
                    + " then, or --baseline-statements was 0); statements are compared from the next baseline on");
        }
        Optional<Instant> reset = now.statementsReset().filter(r -> r.isAfter(baseline.takenAt()));
        if (reset.isPresent()) {
            return Optional.of("pg_stat_statements was reset at " + reset.get() + ", after the baseline of " + baseline.takenAt()
                    + ": the baseline is unusable for statements");
        }
        Map<Long, StatementSample> current = now.statements().stream()
                .collect(Collectors.toMap(StatementSample::queryId, Function.identity(), (a, b) -> a));
        long wentDown = baseline.statements().stream()
                .filter(s -> current.containsKey(s.queryId()) && current.get(s.queryId()).calls() < s.calls()).count();
        if (wentDown > 0) {
            return Optional.of("the calls of " + wentDown + " statement" + (wentDown == 1 ? "" : "s") + " went down since the"
                    + " baseline of " + baseline.takenAt() + " (pg_stat_statements_reset or a server restart):"
                    + " the baseline is unusable for statements");
        }
        for (StatementSample then : baseline.statements()) {
            StatementSample later = current.get(then.queryId());
            if (later == null || then.calls() < settings.minCalls() || later.calls() - then.calls() < settings.minCalls()) {
                continue;
            }
            long since = later.calls() - then.calls();
            double meanSince = (later.totalMs() - then.totalMs()) / since;
            double change = then.meanMs() == 0 ? 0 : (meanSince / then.meanMs() - 1) * 100;
            out.add(new PerfReport.StatementChange(then.queryId(), then.query(), then.calls(), then.meanMs(), since, meanSince,
                    change, change > settings.thresholdPercent()));
        }
        return Optional.empty();
    }

    private static PerfReport.SizeChange sizeChange(RelationSample then, RelationSample now) {
        double growth = then.bytes() == 0 ? (now.bytes() == 0 ? 0 : 100) : (now.bytes() - then.bytes()) * 100.0 / then.bytes();
        boolean bloated = !now.isIndex() && now.deadRatio() >= PerfSettings.BLOAT_RATIO && now.deadTuples() != null
                && now.deadTuples() >= PerfSettings.BLOAT_MIN_DEAD && now.deadRatio() > then.deadRatio();
        return new PerfReport.SizeChange(now.kind(), now.schema(), now.name(), now.table(), then.bytes(), now.bytes(), growth,
                then.deadRatio(), now.deadRatio(), bloated);
    }
}
