package dev.reverso.cli;

import dev.reverso.DatabaseUrl;
import dev.reverso.Reverso;
import dev.reverso.ReversoConfig;
import dev.reverso.archive.Archiving;
import dev.reverso.ReversoException;
import dev.reverso.ops.BackfillSettings;
import dev.reverso.engine.RetryPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.nio.file.Path;
import java.time.Duration;

/** The top of the command line: global options, shared by every subcommand. */
@Command(name = "reverso", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "reverso 0.1.0",
        description = "PostgreSQL migrations that never take the application down and can always be taken back.",
        subcommands = {InitCommand.class, StatusCommand.class, UpCommand.class, DownCommand.class, PlanCommand.class,
            ValidateCommand.class, HistoryCommand.class, RepairCommand.class, LintCommand.class, StartCommand.class,
            CompleteCommand.class, RollbackCommand.class, LatestCommand.class, DiffCommand.class, CheckCommand.class, VerifyCommand.class,
            PreflightCommand.class, SnapshotCommand.class, RestoreCommand.class, ArchiveCommand.class,
            DemoCommand.class, DrillCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:a check found problems", "2:bad input or configuration",
            "3:database unreachable or refused", "4:another runner holds the lock",
            "5:the migration failed (status says whether the database is dirty and where)"})
public final class ReversoCommand {

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "postgres://user:pass@host:port/db or jdbc:postgresql://...; default $REVERSO_URL, then $DATABASE_URL, then url in reverso.yaml")
    String url;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "defaults for these options, in YAML (default: ./reverso.yaml if present)")
    Path configPath;

    @Option(names = "--dir", scope = ScopeType.INHERIT, paramLabel = "DIR", defaultValue = "migrations",
            description = "the migrations folder (default: ${DEFAULT-VALUE})")
    Path dir;

    @Option(names = "--schema", scope = ScopeType.INHERIT, defaultValue = "reverso",
            description = "the schema Reverso keeps its history in (default: ${DEFAULT-VALUE})")
    String schema;

    @Option(names = "--format", scope = ScopeType.INHERIT, defaultValue = "text",
            description = "text or json; lint also takes sarif and github (default: ${DEFAULT-VALUE})")
    Format format;

    @Option(names = "--lock-timeout", scope = ScopeType.INHERIT, converter = DurationConverter.class, defaultValue = "100ms",
            description = "first lock_timeout for each statement (default: ${DEFAULT-VALUE})")
    Duration lockTimeout;

    @Option(names = "--lock-timeout-max", scope = ScopeType.INHERIT, converter = DurationConverter.class, defaultValue = "1s",
            description = "ceiling the lock timeout grows to on retries (default: ${DEFAULT-VALUE})")
    Duration lockTimeoutMax;

    @Option(names = "--max-lock-wait", scope = ScopeType.INHERIT, converter = DurationConverter.class, defaultValue = "60s",
            description = "give up on a statement after waiting this long for locks in all (default: ${DEFAULT-VALUE})")
    Duration maxLockWait;

    @Option(names = "--statement-timeout", scope = ScopeType.INHERIT, converter = DurationConverter.class, defaultValue = "0",
            description = "statement_timeout for migration statements, 0 for none (default: ${DEFAULT-VALUE})")
    Duration statementTimeout;

    @Option(names = "--runner-wait", scope = ScopeType.INHERIT, converter = DurationConverter.class, defaultValue = "10s",
            description = "how long to wait for another runner to finish (default: ${DEFAULT-VALUE})")
    Duration runnerWait;

    @Option(names = "--target-schema", scope = ScopeType.INHERIT, defaultValue = "public", paramLabel = "SCHEMA",
            description = "the schema operation migrations change; version schemas are named after it (default: ${DEFAULT-VALUE})")
    String targetSchema;

    @Option(names = "--batch-size", scope = ScopeType.INHERIT, defaultValue = "1000", paramLabel = "ROWS",
            description = "rows per backfill batch, each its own transaction (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--batch-delay", scope = ScopeType.INHERIT, converter = DurationConverter.class, defaultValue = "0",
            description = "pause between backfill batches (default: ${DEFAULT-VALUE})")
    Duration batchDelay;

    @Option(names = "--no-archive", scope = ScopeType.INHERIT, negatable = false,
            description = "do not preserve the data destructive steps destroy (a rollback then cannot bring it back)")
    boolean noArchive;

    @Option(names = "--archive-table", scope = ScopeType.INHERIT, negatable = false,
            description = "when a statement changes rows Reverso cannot bound from its text (its own RETURNING, WHERE CURRENT OF),"
                    + " archive the whole table first")
    boolean archiveTable;

    @Option(names = "--env", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "run against this environment of reverso.yaml's environments (its url or url_env); up first checks"
                    + " that the environment before it applied each pending migration")
    String env;

    @Option(names = "--report-dir", scope = ScopeType.INHERIT, paramLabel = "DIR", defaultValue = "reverso-reports",
            description = "where up, down, start, complete and rollback write their report (and a failed run its postmortem"
                    + " draft) (default: ${DEFAULT-VALUE})")
    Path reportDir;

    @Option(names = "--no-report", scope = ScopeType.INHERIT, negatable = false, description = "write no run report")
    boolean noReport;

    @Option(names = "--webhook", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "POST a JSON message here at a run's start, on each threshold action, on rollback, success and"
                    + " failure (2 s timeout, 3 tries, never fails the run)")
    String webhook;

    /** Where output goes; set by {@link Main} before the command runs. */
    Terminal terminal;

    /** The config file's defaults; set by {@link Main}. */
    ConfigFile config;

    /** A target given programmatically (by the demo), taking the place of --url; null otherwise. */
    DatabaseUrl target;

    /** The database URL from the option or the environment, or a BAD_INPUT error saying how to give one. */
    String resolveUrl() {
        if (url != null) {
            return url;
        }
        String env = System.getenv("REVERSO_URL");
        if (env != null && !env.isBlank()) {
            return env;
        }
        env = System.getenv("DATABASE_URL");
        if (env != null && !env.isBlank()) {
            return env;
        }
        if (config != null && config.url() != null) {
            return config.url();
        }
        throw new ReversoException(ReversoException.Kind.BAD_INPUT, "no database given: pass --url "
                + "postgres://user:password@host:5432/db, or set REVERSO_URL or DATABASE_URL (or try 'reverso demo')");
    }

    /** A Reverso for the target, with progress shown on the terminal. */
    Reverso reverso() {
        return reverso(target != null ? target : env != null ? environmentUrl() : DatabaseUrl.parse(resolveUrl()), dir);
    }

    /** The release part of the config file. */
    ReleaseSettings release() {
        return ReleaseSettings.of(config);
    }

    private DatabaseUrl environmentUrl() {
        if (url != null) {
            throw ReversoException.badInput("give --url or --env, not both");
        }
        ReleaseSettings settings = release();
        return settings.environments().named(env).resolve(settings.environments().variables());
    }

    /** A Reverso for a run, with the monitor's thresholds of the command. */
    Reverso reverso(MonitorOptions monitor) {
        return Reverso.with(monitor.applyTo(reverso().config()));
    }

    private BackfillSettings backfill() {
        try {
            return new BackfillSettings(batchSize, batchDelay);
        } catch (IllegalArgumentException e) {
            throw new ReversoException(ReversoException.Kind.BAD_INPUT, "--batch-size/--batch-delay: " + e.getMessage());
        }
    }

    Reverso reverso(DatabaseUrl target, Path folder) {
        RetryPolicy retry = RetryPolicy.defaults().withInitialLockTimeout(lockTimeout)
                .withMaxLockTimeout(lockTimeoutMax.compareTo(lockTimeout) < 0 ? lockTimeout : lockTimeoutMax)
                .withMaxTotalWait(maxLockWait);
        ReversoConfig config = ReversoConfig.of(target, folder).withSchema(schema).withRetry(retry)
                .withStatementTimeout(statementTimeout).withRunnerLockWait(runnerWait).withTargetSchema(targetSchema)
                .withBackfill(backfill()).withArchive(noArchive ? Archiving.OFF : archiveTable ? Archiving.WHOLE_TABLE_WHEN_UNBOUNDED : Archiving.BOUNDED)
                .withListener(new Progress(terminal, format == Format.json));
        return Reverso.with(config);
    }
}
