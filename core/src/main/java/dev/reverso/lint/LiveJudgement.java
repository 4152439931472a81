package dev.reverso.lint;

import dev.reverso.catalog.TableSize;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Connected mode: judges the findings whose cost grows with the table by the live table's size.
 * On a table below the big-table threshold they drop to info; every such finding says how big
 * the table is and roughly how long the lock or rewrite will last.
 */
public final class LiveJudgement {

    /** Rules whose hazard is a lock held for O(table): a scan, a rewrite or an index build. */
    static final Set<String> SIZE_BOUND = Set.of("create-index-non-concurrent", "reindex-non-concurrent",
            "add-column-default-rewrite", "add-column-serial-or-identity", "add-column-generated-stored",
            "change-column-type-rewrite", "set-not-null", "add-check-without-not-valid", "add-foreign-key-without-not-valid",
            "validate-in-same-transaction", "add-unique-constraint", "add-primary-key", "add-exclusion-constraint",
            "vacuum-full-or-cluster", "rewrite-via-table-option", "attach-partition-without-check",
            "refresh-matview-non-concurrent", "unbatched-backfill", "lock-held-across-statements", "add-column-required");

    /** Whether a rule's hazard is a lock held for O(table), so the table's size sets its duration. */
    public static boolean sizeBound(String ruleId) {
        return SIZE_BOUND.contains(ruleId);
    }

    private final Map<String, TableSize> sizes;
    private final long bigTableRows;

    /**
     * @param sizes live sizes by relation name as the findings carry it
     * @param bigTableRows below this many rows (and 64 MB) a size-bound hazard is only info
     */
    public LiveJudgement(Map<String, TableSize> sizes, long bigTableRows) {
        this.sizes = sizes;
        this.bigTableRows = bigTableRows;
    }

    public LintReport judge(LintReport report) {
        List<Finding> out = new ArrayList<>(report.findings().size());
        for (Finding f : report.findings()) {
            TableSize size = f.relation() == null ? null : sizes.get(f.relation());
            if (size == null) {
                out.add(f);
                continue;
            }
            boolean sizeBound = SIZE_BOUND.contains(f.ruleId());
            boolean small = size.rows() >= 0 && size.rows() < bigTableRows && size.bytes() < 64L * 1024 * 1024;
            String estimate = describe(size, f, sizeBound, small);
            out.add(f.judged(sizeBound && small ? Severity.INFO : f.severity(), estimate));
        }
        return new LintReport(out, report.files(), report.statements());
    }

    private String describe(TableSize size, Finding f, boolean sizeBound, boolean small) {
        String rows = size.rows() < 0 ? "row count unknown (never analysed)" : "~" + String.format(Locale.ROOT, "%,d", size.rows()) + " rows";
        String base = size.relation() + ": " + size.prettyBytes() + ", " + rows;
        if (!sizeBound) {
            return base;
        }
        return base + "; " + f.lock().sqlName() + " held for " + size.scanEstimate() + " at ~100 MB/s"
                + (small ? " (below the big-table threshold of " + String.format(Locale.ROOT, "%,d", bigTableRows)
                + " rows: lowered to info)" : "");
    }
}
