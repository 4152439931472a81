package dev.reverso.report;

import java.util.List;

/** A run's report, and a failed run's postmortem draft, as Markdown for people to read and paste. */
public final class MarkdownReport {

    private MarkdownReport() {
    }

    /** The report: outcome, each migration's steps with lock and duration, monitor, checks, the way back. */
    public static String render(RunReport r) {
        StringBuilder md = new StringBuilder();
        md.append("# reverso ").append(r.command()).append(": ").append(r.outcome().text()).append("\n\n");
        md.append("- database: ").append(r.database()).append('\n');
        md.append("- started: ").append(r.startedAt()).append(", finished: ").append(r.finishedAt()).append(" (")
                .append(r.durationMs()).append(" ms)\n");
        if (r.error() != null) {
            md.append("- error: ").append(r.error()).append('\n');
        }
        md.append("\n## What ran\n\n");
        if (r.migrations().isEmpty()) {
            md.append("Nothing ran.\n");
        }
        for (RunReport.MigrationRun m : r.migrations()) {
            md.append("### ").append(m.version()).append(m.name().isEmpty() ? "" : "_" + m.name()).append(" (").append(m.direction()).append(", ")
                    .append(m.transactional() ? "one transaction" : "step by step").append("): ").append(m.outcome())
                    .append(m.durationMs() == null ? "" : " in " + m.durationMs() + " ms").append("\n\n");
            md.append("| step | statement | lock | ms | tries |\n|---|---|---|---|---|\n");
            for (RunReport.StepRun s : m.steps()) {
                md.append("| ").append(s.step()).append('/').append(s.of()).append(s.failed() ? " FAILED" : "").append(" | `")
                        .append(cell(s.statement())).append("` | ").append(s.lock().isEmpty() ? "-" : cell(s.lock())).append(" | ").append(s.durationMs())
                        .append(" | ").append(s.attempts()).append(" |\n");
            }
            if (!m.notes().isEmpty()) {
                md.append('\n');
                bullets(md, m.notes());
            }
            md.append('\n');
        }
        RunReport.Monitoring mon = r.monitor();
        md.append("## Monitor\n\n- samples: ").append(mon.samples()).append("\n- longest a session waited on the migration: ")
                .append(mon.maxBlockingMs()).append(" ms").append(mon.maxBlockingBy() == null ? "" : " (" + mon.maxBlockingBy() + ")")
                .append("\n- worst replica lag: ").append(mon.maxLagMs()).append(" ms")
                .append(mon.laggingReplica() == null ? "" : " (" + mon.laggingReplica() + ")").append('\n');
        mon.actions().forEach(a -> md.append("- action: ").append(a).append('\n'));
        section(md, "Warnings", r.warnings());
        section(md, "Preflight", r.preflight());
        section(md, "Verify", r.verify());
        RunReport.RollbackPath back = r.rollback();
        md.append("\n## Rollback path\n\n- how: ").append(back.how()).append("\n- down plan: ").append(back.verdict())
                .append("\n- open: ").append(back.openUntil()).append('\n');
        back.archives().forEach(a -> md.append("- archive: ").append(a).append('\n'));
        back.snapshots().forEach(s -> md.append("- ").append(s).append('\n'));
        if (back.archives().isEmpty() && back.snapshots().isEmpty()) {
            md.append("- no archive or snapshot was made by this run\n");
        }
        return md.toString();
    }

    /** The postmortem draft of a failed run: the headings a team fills in, with what Reverso knows already filled. */
    public static String postmortem(RunReport r) {
        RunReport.Postmortem p = r.postmortem();
        StringBuilder md = new StringBuilder();
        md.append("# Postmortem draft: reverso ").append(r.command()).append(" failed\n\n");
        md.append("- database: ").append(r.database()).append("\n- run: ").append(r.run()).append("\n- started: ")
                .append(r.startedAt()).append(", failed: ").append(r.finishedAt()).append("\n\n");
        md.append("## Failing step\n\n").append(p.failingStep()).append("\n\n## Error\n\n```\n").append(p.error())
                .append("\n```\n");
        section(md, "Timeline (audit trail)", p.timeline());
        section(md, "State left", p.stateLeft());
        section(md, "Repair options", p.repairOptions());
        section(md, "Monitor actions", r.monitor().actions());
        md.append("\n## Impact\n\n_(to fill in: who noticed, for how long, what users saw)_\n\n## Root cause\n\n_(to fill in)_\n\n"
                + "## Follow-ups\n\n_(to fill in)_\n");
        return md.toString();
    }

    private static void section(StringBuilder md, String title, List<String> lines) {
        if (!lines.isEmpty()) {
            md.append("\n## ").append(title).append("\n\n");
            bullets(md, lines);
        }
    }

    private static void bullets(StringBuilder md, List<String> lines) {
        lines.forEach(l -> md.append("- ").append(l).append('\n'));
    }

    /** Text fit for a table cell: no pipe or backtick to break it. */
    private static String cell(String s) {
        return s.replace("|", "\\|").replace('`', '\'');
    }
}
