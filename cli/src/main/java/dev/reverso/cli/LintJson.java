package dev.reverso.cli;

import dev.reverso.lint.Finding;
import dev.reverso.lint.LintReport;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code lint --format json}: the report exactly as {@link Json} (Jackson, indented) writes it,
 * written by hand. A large file's report is about 100 MB of JSON; Jackson took about a second
 * for it on one thread, this takes a fraction of that, and from {@value #PARALLEL_FROM} findings
 * on formats the second half on a helper thread while the first half is written.
 * {@code LintJsonTest} holds it to Jackson's output.
 */
final class LintJson {

    /** Below this many findings, one thread. */
    static final int PARALLEL_FROM = 20_000;

    /** Findings formatted into one piece of text before it is written. */
    private static final int CHUNK = 512;

    private static final String EOL = System.lineSeparator();

    private LintJson() {
    }

    static void print(PrintStream out, LintReport report) {
        List<Finding> findings = report.findings();
        StringBuilder text = new StringBuilder(1 << 17);
        text.append('{').append(EOL).append("  \"findings\" : [");
        if (findings.isEmpty()) {
            text.append(' ');
        }
        int half = findings.size() < PARALLEL_FROM ? findings.size() : findings.size() / 2;
        CompletableFuture<List<StringBuilder>> second = half == findings.size() ? CompletableFuture.completedFuture(List.of())
                : CompletableFuture.supplyAsync(() -> format(findings, half, findings.size()), task -> {
                    Thread helper = new Thread(task, "reverso-lint-json");
                    helper.setDaemon(true);
                    helper.start();
                });
        for (int from = 0; from < half; from += CHUNK) {
            formatRange(findings, from, Math.min(half, from + CHUNK), text);
            write(out, text);
        }
        for (StringBuilder chunk : second.join()) {
            write(out, chunk);
        }
        if (!findings.isEmpty()) {
            text.append(' ');
        }
        text.append("],").append(EOL)
                .append("  \"files\" : ").append(report.files()).append(',').append(EOL)
                .append("  \"statements\" : ").append(report.statements()).append(EOL)
                .append('}');
        write(out, text);
        out.flush();
        out.println();
    }

    /** The findings from {@code from} to {@code to}, in pieces of {@link #CHUNK}. */
    private static List<StringBuilder> format(List<Finding> findings, int from, int to) {
        List<StringBuilder> chunks = new ArrayList<>();
        for (int at = from; at < to; at += CHUNK) {
            StringBuilder chunk = new StringBuilder(CHUNK * 900);
            formatRange(findings, at, Math.min(to, at + CHUNK), chunk);
            chunks.add(chunk);
        }
        return chunks;
    }

    private static void formatRange(List<Finding> findings, int from, int to, StringBuilder out) {
        for (int i = from; i < to; i++) {
            out.append(i == 0 ? " {" : ", {");
            finding(findings.get(i), out);
            out.append(EOL).append("  }");
        }
    }

    private static void finding(Finding f, StringBuilder out) {
        field(out, "ruleId", f.ruleId());
        out.append(',');
        field(out, "severity", f.severity().name());
        out.append(',');
        field(out, "file", f.file());
        out.append(',').append(EOL).append("    \"line\" : ").append(f.line());
        out.append(',').append(EOL).append("    \"column\" : ").append(f.column());
        out.append(',');
        field(out, "statement", f.statement());
        out.append(',');
        field(out, "lock", f.lock() == null ? null : f.lock().name());
        out.append(',');
        field(out, "blocks", f.blocks());
        out.append(',');
        field(out, "message", f.message());
        out.append(',');
        field(out, "rewrite", f.rewrite());
        out.append(',');
        field(out, "relation", f.relation());
        out.append(',');
        field(out, "estimate", f.estimate());
    }

    private static void field(StringBuilder out, String name, String value) {
        out.append(EOL).append("    \"").append(name).append("\" : ");
        if (value == null) {
            out.append("null");
        } else {
            string(out, value);
        }
    }

    /** A JSON string as Jackson writes it: quote, backslash and control characters escaped, the rest as is. */
    static void string(StringBuilder out, String value) {
        out.append('"');
        int plain = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(value, plain, i);
            plain = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        out.append(value, plain, value.length()).append('"');
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /**
     * Writes the text as UTF-8 bytes, which JSON is (RFC 8259), past the stream's own encoder: the
     * text is almost all ASCII, and two byte copies cost a fraction of widening it to chars and
     * encoding them back, on the 100 MB of a large report.
     */
    private static void write(PrintStream out, StringBuilder text) {
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        text.setLength(0);
    }
}
