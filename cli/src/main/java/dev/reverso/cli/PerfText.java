package dev.reverso.cli;

import dev.reverso.perf.PerfReport;

import java.io.PrintStream;
import java.util.Locale;

/** Renders {@code verify --perf} for a terminal: what is flagged first, then sizes and notes. */
final class PerfText {

    /** Sizes that changed are shown up to this many, biggest change first; JSON has them all. */
    private static final int SIZE_LINES = 10;

    private PerfText() {
    }

    static void print(Terminal t, PerfReport r) {
        PrintStream out = t.out();
        out.println("baseline " + r.baselineId() + " taken " + r.takenAt() + " before version " + r.version());
        for (PerfReport.StatementChange s : r.slower()) {
            out.println(t.red("SLOWER") + "  " + pct(s.changePercent()) + ": " + ms(s.meanBeforeMs()) + " over " + s.callsBefore()
                    + " calls before, " + ms(s.meanSinceMs()) + " over " + s.callsSince() + " calls since: " + oneLine(s.query()));
        }
        if (r.statementsNote() != null) {
            out.println(t.yellow("statements not compared") + "  " + r.statementsNote());
        }
        for (PerfReport.SizeChange s : r.bloated()) {
            out.println(t.red("BLOAT") + "  table " + s.schema() + "." + s.name() + ": " + percent(s.deadRatioNow()) + " of its tuples dead ("
                    + percent(s.deadRatioBefore()) + " at the baseline), " + sizes(s));
        }
        for (PerfReport.UnusedIndex i : r.unusedIndexes()) {
            out.println(t.red("UNUSED") + "  index " + i.schema() + "." + i.name() + " on " + i.table() + " ("
                    + SnapshotCommand.size(i.bytes()) + "): created since the baseline" + (i.createdBy() == null ? "" : " by migration "
                    + i.createdBy()) + ", not scanned since");
        }
        r.relations().stream().filter(s -> !s.bloated()).limit(SIZE_LINES).forEach(s -> out.println("size  " + s.kind() + " "
                + s.schema() + "." + s.name() + ": " + sizes(s)));
        r.notes().forEach(n -> out.println(t.yellow("note") + "  " + n));
        int flagged = r.slower().size() + r.bloated().size() + r.unusedIndexes().size();
        String compared = "compared " + r.statements().size() + " statement" + (r.statements().size() == 1 ? "" : "s")
                + " (threshold " + pct(r.settings().thresholdPercent()).substring(1) + ", at least " + r.settings().minCalls()
                + " calls); " + r.relations().size() + (r.relations().size() == 1 ? " table or index" : " tables and indexes")
                + " changed in size";
        out.println((flagged == 0 ? t.green("no regression") : t.red(flagged + " flagged")) + ": " + compared);
    }

    private static String sizes(PerfReport.SizeChange s) {
        return SnapshotCommand.size(s.bytesBefore()) + " -> " + SnapshotCommand.size(s.bytesNow()) + " (" + pct(s.growthPercent()) + ")";
    }

    private static String ms(double ms) {
        return String.format(Locale.ROOT, "%.3f ms", ms);
    }

    private static String pct(double p) {
        return String.format(Locale.ROOT, "%+.0f %%", p);
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.0f %%", ratio * 100);
    }

    private static String oneLine(String query) {
        String flat = query.replaceAll("\\s+", " ").strip();
        return flat.length() > 120 ? flat.substring(0, 117) + "..." : flat;
    }
}
