package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;

import java.util.List;
import java.util.stream.Collectors;

/** #42: TRUNCATE of tables this migration did not create; an error with CASCADE. */
final class TruncateTable implements Rule {

    @Override
    public String id() {
        return "truncate-table";
    }

    @Override
    public boolean handles(String command) {
        return command.equals("TRUNCATE");
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    @Override
    public void check(StatementContext ctx) {
        if (!ctx.classification().command().equals("TRUNCATE")) {
            return;
        }
        List<String> tables = ctx.classification().targets();
        boolean cascade = Ddl.has(ctx.tokens(), "CASCADE");
        if (tables.isEmpty() || !cascade && tables.stream().allMatch(ctx::createdInThisMigration)) {
            return;
        }
        String names = String.join(", ", tables);
        String rewrite = tables.stream().map(t -> "DELETE FROM " + t + " WHERE ...;").collect(Collectors.joining("\n"))
                + "  -- only the rows you mean, in batches on a big table; never CASCADE";
        if (cascade) {
            ctx.report(Severity.ERROR, "TRUNCATE " + names + " CASCADE deletes every row under ACCESS EXCLUSIVE, and "
                    + "also empties every table with a foreign key to " + (tables.size() > 1 ? "them" : "it")
                    + ", and theirs in turn, without naming them", rewrite);
        } else {
            ctx.report("TRUNCATE " + names + " deletes every row under ACCESS EXCLUSIVE: all reads and writes of "
                    + names + " wait, and the data is gone once committed", rewrite);
        }
    }
}
