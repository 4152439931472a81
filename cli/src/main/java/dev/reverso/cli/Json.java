package dev.reverso.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/** Machine-readable output: the library's result records as JSON, dates as ISO-8601 text. */
final class Json {

    private final ObjectMapper mapper = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Writes the value as it is serialised rather than as one string: a lint report of a large
     * file is about 100 MB of JSON, which as a string cost a second and twice its size in memory.
     * The characters go through {@code out}, so they are encoded as all the CLI's output is.
     */
    void print(PrintStream out, Object value) {
        try {
            mapper.writeValue(new PrintStreamWriter(out), value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println();
    }
}
