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

    /** One value on one line: a JSON Lines record. */
    void line(PrintStream out, Object value) {
        try {
            out.println(mapper.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A result with the checks made around it: the result's own fields (none when a preflight
     * stopped the run), then {@code preflight} and {@code verify} when they ran.
     */
    void printChecked(PrintStream out, Object result, Object preflight, Object verify) {
        com.fasterxml.jackson.databind.node.ObjectNode node = result == null ? mapper.createObjectNode()
                : (com.fasterxml.jackson.databind.node.ObjectNode) mapper.valueToTree(result);
        if (preflight != null) {
            node.set("preflight", mapper.valueToTree(preflight));
        }
        if (verify != null) {
            node.set("verify", mapper.valueToTree(verify));
        }
        print(out, node);
    }

    /** A value as a JSON tree, to add fields to before printing. */
    com.fasterxml.jackson.databind.JsonNode tree(Object value) {
        return mapper.valueToTree(value);
    }

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
