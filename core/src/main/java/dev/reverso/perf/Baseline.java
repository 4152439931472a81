package dev.reverso.perf;

import java.time.Instant;
import java.util.List;

/**
 * The statistics recorded before a run.
 *
 * @param version the first version the run was about to apply
 * @param command the command that ran ({@code up}, {@code complete})
 * @param statementsTracked whether pg_stat_statements was usable then (else {@code statements} is empty)
 */
public record Baseline(long id, String version, String command, Instant takenAt, boolean statementsTracked,
                       List<StatementSample> statements, List<RelationSample> relations) {
}
