package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.sql.ObjectChange;
import dev.reverso.sql.Statement;
import dev.reverso.sql.Token;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * #34: a name the statement creates (table, column, index, constraint, view, sequence, type,
 * schema, function, trigger, policy, or the new name of a RENAME) longer than 63 UTF-8 bytes:
 * PostgreSQL truncates it silently.
 */
final class IdentifierTooLong implements Rule {

    static final int MAX_BYTES = 63;

    /** A CONSTRAINT after these words names an existing constraint, not a new one. */
    private static final Set<String> EXISTING_CONSTRAINT = Set.of("DROP", "VALIDATE", "RENAME", "ALTER");

    @Override
    public String id() {
        return "identifier-too-long";
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    /**
     * Every name this rule reads is one token's text, or the classifier's name of the created
     * object; a name over 63 bytes in UTF-8 is over 21 UTF-16 units (3 bytes a unit at most), so a
     * statement with nothing that long is passed over unread: most statements of a large file.
     */
    private static boolean mayNameTooLong(StatementContext ctx, List<Token> tokens) {
        int longest = MAX_BYTES / 3;
        for (Token token : tokens) {
            if (token.text().length() > longest) {
                return true;
            }
        }
        return ctx.classification().change().filter(ch -> ch.name().length() > longest).isPresent();
    }

    @Override
    public void check(StatementContext ctx) {
        Statement s = ctx.step().statement();
        List<Token> t = s.tokens();
        if (!mayNameTooLong(ctx, t)) {
            return;
        }
        Map<String, String> names = new LinkedHashMap<>();
        ctx.classification().change().filter(ch -> ch.action() == ObjectChange.Action.CREATE)
                .ifPresent(ch -> names.put(ch.name(), ch.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ')));
        String command = ctx.classification().command();
        if (ctx.classification().change().isEmpty() && command.startsWith("CREATE ") && !command.equals("CREATE")) {
            // CREATE TRIGGER, POLICY, RULE, DOMAIN, STATISTICS...: the name follows the object type.
            String type = command.substring(command.lastIndexOf(' ') + 1);
            int at = Ddl.find(t, type);
            int i = Ddl.at(t, at + 1, "IF", "NOT", "EXISTS") ? at + 4 : at + 1;
            Ddl.qualifiedName(t, i).ifPresent(n -> names.putIfAbsent(n.last(), type.toLowerCase(Locale.ROOT)));
        }
        Ddl.typedColumns(ctx).stream().filter(c -> c.origin() != Ddl.Origin.ALTER_TYPE)
                .forEach(c -> names.putIfAbsent(c.name(), "column"));
        for (int i = 0; i + 1 < t.size(); i++) {
            if (t.get(i).isWord("CONSTRAINT") && Ddl.isIdent(t.get(i + 1))
                    && !(i > 0 && EXISTING_CONSTRAINT.contains(t.get(i - 1).upper()))) {
                names.putIfAbsent(Ddl.name(t.get(i + 1)), "constraint");
            }
        }
        int rename = Ddl.find(t, "RENAME");
        if (rename >= 0) {
            int to = Ddl.find(t.subList(rename, t.size()), "TO");
            if (to >= 0) {
                Ddl.qualifiedName(t, rename + to + 1).ifPresent(n -> names.putIfAbsent(n.last(), "new name"));
            }
        }
        names.forEach((name, kind) -> {
            int bytes = Ddl.bytes(name);
            if (bytes > MAX_BYTES) {
                String cut = Ddl.truncate(name, MAX_BYTES);
                ctx.report(kind + " name " + name + " is " + bytes + " bytes: PostgreSQL silently truncates it to 63 ("
                                + cut + "), so later SQL that spells the full name does not find it, and two long names "
                                + "that share their first 63 bytes collide",
                        "name it in at most 63 bytes, e.g. " + cut);
            }
        });
    }
}
