package dev.reverso.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a run's report into a folder: {@code <run>.md} and {@code <run>.json}, and for a failed
 * run {@code <run>_postmortem.md}.
 */
public final class ReportFiles {

    private final Path dir;

    public ReportFiles(Path dir) {
        this.dir = dir;
    }

    /** The report as JSON: the {@link RunReport} record's fields. */
    public static String json(RunReport report) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the files, creating the folder when missing.
     *
     * @return the files written, the Markdown report first
     * @throws UncheckedIOException when the folder cannot be written
     */
    public List<Path> write(RunReport report) {
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            written.add(Files.writeString(dir.resolve(report.run() + ".md"), MarkdownReport.render(report), StandardCharsets.UTF_8));
            written.add(Files.writeString(dir.resolve(report.run() + ".json"), json(report), StandardCharsets.UTF_8));
            if (report.postmortem() != null) {
                written.add(Files.writeString(dir.resolve(report.run() + "_postmortem.md"), MarkdownReport.postmortem(report),
                        StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report into " + dir + ": " + e.getMessage(), e);
        }
        return written;
    }
}
