package dev.reverso.cli;

import dev.reverso.testing.MigrationsDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** reverso.yaml: defaults for options, command line wins, typos refused. */
class ConfigFileTest {

    @TempDir
    Path dir;

    private Path config(String yaml) throws Exception {
        Path file = dir.resolve("reverso.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void lintRulesCanBeDisabledAndReleveledInTheFileAndTheCommandLineWins() throws Exception {
        Path migrations = Files.createDirectories(dir.resolve("m"));
        new MigrationsDir(migrations).pair("0001_idx", "create index i on users (email);", null);
        Path file = config("dir: " + migrations + "\nlint:\n  severity: {create-index-non-concurrent: error}\n");

        Cli.Outcome releveled = Cli.run("--config", file.toString(), "lint");
        assertThat(releveled.out()).contains("error  create-index-non-concurrent");

        config("dir: " + migrations + "\nlint:\n  disable: [create-index-non-concurrent]\n");
        assertThat(Cli.run("--config", file.toString(), "lint").exit()).isZero();
        assertThat(Cli.run("--config", file.toString(), "lint", "--disable", "syntax-error").exit())
                .as("--disable on the command line replaces the file's list").isEqualTo(1);
    }

    @Test
    void unknownKeysAndBadYamlAreRefusedNamingTheFile() throws Exception {
        Path file = config("lock_timeot: 2s\n");
        Cli.Outcome o = Cli.run("--config", file.toString(), "status");
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err().strip()).isEqualTo("reverso: " + file + ": unknown key 'lock_timeot'");

        config("lint: [unclosed\n");
        assertThat(Cli.run("--config", file.toString(), "status").err()).contains(file + ": not valid YAML");
        assertThat(Cli.run("--config", dir.resolve("nope.yaml").toString(), "status").err()).contains("nope.yaml: no such file");
    }
}
