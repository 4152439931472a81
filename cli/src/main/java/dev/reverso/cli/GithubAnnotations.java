package dev.reverso.cli;

import dev.reverso.lint.Finding;
import dev.reverso.lint.LintReport;

import java.io.PrintStream;

/** Lint findings as GitHub Actions workflow commands, so they show on the pull request's lines. */
final class GithubAnnotations {

    private GithubAnnotations() {
    }

    static void print(PrintStream out, LintReport report) {
        for (Finding f : report.findings()) {
            String level = switch (f.severity()) {
                case ERROR -> "error";
                case WARNING -> "warning";
                case INFO -> "notice";
            };
            out.println("::" + level + " file=" + property(f.file()) + ",line=" + f.line() + ",col=" + f.column()
                    + ",title=" + property("reverso " + f.ruleId()) + "::"
                    + data(f.message() + (f.lock() == dev.reverso.sql.LockMode.NONE ? ""
                    : " (" + f.lock().sqlName() + ", blocks " + f.blocks() + ")") + ". Fix: " + f.rewrite()));
        }
    }

    /** GitHub's escaping for a command's message. */
    static String data(String s) {
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    /** GitHub's escaping for a command's properties: also ':' and ','. */
    static String property(String s) {
        return data(s).replace(":", "%3A").replace(",", "%2C");
    }
}
