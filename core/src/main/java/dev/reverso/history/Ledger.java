package dev.reverso.history;

/**
 * Everything Reverso keeps in its schema, together: the history, the step journal, the audit
 * trail, the operation migrations' plans, the runner lock and the snapshots taken.
 */
public record Ledger(ReversoSchema schema, HistoryTable history, StepJournal steps, AuditLog audit, RunnerLock lock,
                     ExpansionTable expansions, SnapshotTable snapshots) {

    public static Ledger in(String schemaName, String actor) {
        ReversoSchema schema = new ReversoSchema(schemaName);
        AuditLog audit = new AuditLog(schema, actor);
        return new Ledger(schema, new HistoryTable(schema, audit), new StepJournal(schema), audit, new RunnerLock(schema),
                new ExpansionTable(schema), new SnapshotTable(schema));
    }
}
