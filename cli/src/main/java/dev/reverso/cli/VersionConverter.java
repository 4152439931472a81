package dev.reverso.cli;

import dev.reverso.source.Version;
import picocli.CommandLine;

/** Reads a migration version given on the command line. */
final class VersionConverter implements CommandLine.ITypeConverter<Version> {

    @Override
    public Version convert(String value) {
        try {
            return Version.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
