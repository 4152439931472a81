package dev.reverso.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A migrations folder for a test, written file by file. */
public final class MigrationsDir {

    private final Path dir;

    /** A folder of migrations, created when missing. */
    public MigrationsDir(Path dir) {
        this.dir = dir;
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public Path path() {
        return dir;
    }

    /** Writes {@code NNNN_name.up.sql} and, when down is not null, {@code NNNN_name.down.sql}. */
    public MigrationsDir pair(String versionAndName, String up, String down) {
        write(versionAndName + ".up.sql", up);
        if (down != null) {
            write(versionAndName + ".down.sql", down);
        }
        return this;
    }

    public MigrationsDir write(String file, String text) {
        try {
            Files.writeString(dir.resolve(file), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public MigrationsDir delete(String file) {
        try {
            Files.delete(dir.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
