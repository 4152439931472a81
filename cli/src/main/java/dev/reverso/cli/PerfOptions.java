package dev.reverso.cli;

import dev.reverso.perf.PerfSettings;
import dev.reverso.source.Version;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code verify --perf} and what it compares. */
final class PerfOptions {

    @Option(names = "--perf", description = "compare performance with the baseline taken before a run instead: statements"
            + " slower than the threshold (pg_stat_statements), table growth and dead tuples, new indexes never scanned")
    boolean perf;

    @Option(names = "--since", paramLabel = "VERSION", converter = VersionConverter.class,
            description = "with --perf: the baseline taken before this version ran (default: the newest baseline)")
    Version since;

    @Option(names = "--threshold", paramLabel = "PERCENT", converter = PercentConverter.class, defaultValue = "25%",
            description = "with --perf: flag a statement whose mean time since is more than this much slower (default: 25%%)")
    double threshold;

    @Option(names = "--min-calls", paramLabel = "N", defaultValue = "20",
            description = "with --perf: compare a statement only when it ran at least N times before the baseline and since"
                    + " (default: 20)")
    long minCalls;

    PerfSettings settings() {
        return new PerfSettings(threshold, minCalls);
    }

    /** "25%" or "25". */
    static final class PercentConverter implements CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            String number = value.strip().endsWith("%") ? value.strip().substring(0, value.strip().length() - 1) : value.strip();
            try {
                return Double.parseDouble(number.strip());
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a percentage (for example 25%)");
            }
        }
    }
}
