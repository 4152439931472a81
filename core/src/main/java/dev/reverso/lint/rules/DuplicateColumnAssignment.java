package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.sql.Statement;
import dev.reverso.sql.Token;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * #33: the same column twice in a CREATE TABLE column list, the ADD COLUMNs of one ALTER TABLE,
 * an UPDATE ... SET (or INSERT ... ON CONFLICT DO UPDATE SET), an INSERT column list or a view's
 * column list: PostgreSQL rejects the statement. Assignments to different subscripts or fields
 * of one column ({@code SET a[1] = x, a[2] = y}) are legal and not counted.
 */
final class DuplicateColumnAssignment implements Rule {

    @Override
    public String id() {
        return "duplicate-column-assignment";
    }

    /** The commands whose column lists it reads: the branches of {@link #check}. */
    private static final Set<String> COMMANDS = Set.of("CREATE TABLE", "ALTER TABLE", "CREATE VIEW", "CREATE MATERIALIZED VIEW",
            "UPDATE", "INSERT");

    @Override
    public boolean handles(String command) {
        return COMMANDS.contains(command);
    }

    @Override
    public Severity severity() {
        return Severity.ERROR;
    }

    @Override
    public void check(StatementContext ctx) {
        Statement s = ctx.step().statement();
        List<Token> t = s.tokens();
        String command = ctx.classification().command();
        List<String> columns = new ArrayList<>();
        String where;
        if (command.equals("CREATE TABLE")) {
            where = "CREATE TABLE";
            Ddl.createTable(ctx).ifPresent(table -> table.columns().forEach(c -> columns.add(c.name())));
        } else if (command.equals("ALTER TABLE")) {
            where = "ALTER TABLE ... ADD COLUMN";
            Ddl.addedColumns(ctx).forEach(added -> added.ifPresent(c -> columns.add(c.name())));
        } else if (command.equals("CREATE VIEW") || command.equals("CREATE MATERIALIZED VIEW")) {
            where = "the column list of " + command;
            int view = Ddl.find(t, "VIEW");
            int i = Ddl.at(t, view + 1, "IF", "NOT", "EXISTS") ? view + 4 : view + 1;
            Ddl.qualifiedName(t, i).ifPresent(name -> columns.addAll(Ddl.columnNames(t, name.end())));
        } else if (command.equals("UPDATE")) {
            where = "UPDATE ... SET";
            columns.addAll(assigned(t, Ddl.find(t, "SET")));
        } else if (command.equals("INSERT")) {
            where = "INSERT";
            int into = Ddl.find(t, "INTO");
            Ddl.qualifiedName(t, into + 1).ifPresent(name -> {
                int open = name.end();
                open = Ddl.at(t, open, "AS") ? open + 2 : open;
                boolean list = open < t.size() && t.get(open).isSymbol("(");
                boolean query = Ddl.at(t, open + 1, "SELECT") || Ddl.at(t, open + 1, "WITH") || Ddl.at(t, open + 1, "VALUES");
                if (list && !query) {
                    columns.addAll(targets(Ddl.list(t, open)));
                }
            });
            int set = Ddl.find(t, "DO", "UPDATE", "SET");
            if (set >= 0) {
                report(ctx, assigned(t, set + 2), "INSERT ... ON CONFLICT DO UPDATE SET");
            }
        } else {
            return;
        }
        report(ctx, columns, where);
    }

    private static void report(StatementContext ctx, List<String> columns, String where) {
        Set<String> seen = new LinkedHashSet<>();
        Set<String> twice = new LinkedHashSet<>();
        for (String c : columns) {
            if (!seen.add(c)) {
                twice.add(c);
            }
        }
        for (String c : twice) {
            ctx.report("column " + c + " appears twice in " + where + ": PostgreSQL rejects the statement (42701 or "
                    + "\"multiple assignments to same column\"), so the migration fails", "keep one " + c + " in " + where);
        }
    }

    /** The columns a SET list assigns, from the SET at {@code set} to FROM, WHERE or RETURNING. */
    private static List<String> assigned(List<Token> t, int set) {
        if (set < 0) {
            return List.of();
        }
        List<Token> rest = t.subList(set + 1, t.size());
        int end = rest.size();
        for (String word : List.of("FROM", "WHERE", "RETURNING")) {
            int at = Ddl.find(rest, word);
            end = at >= 0 ? Math.min(end, at) : end;
        }
        List<String> columns = new ArrayList<>();
        for (List<Token> assignment : Ddl.split(rest.subList(0, end))) {
            if (!assignment.isEmpty() && assignment.get(0).isSymbol("(")) {
                columns.addAll(targets(Ddl.list(assignment, 0)));
            } else {
                columns.addAll(targets(List.of(assignment)));
            }
        }
        return columns;
    }

    /** The plain column of each target, skipping {@code col[i]} and {@code col.field}. */
    private static List<String> targets(List<List<Token>> parts) {
        List<String> names = new ArrayList<>();
        for (List<Token> part : parts) {
            boolean plain = !part.isEmpty() && Ddl.isIdent(part.get(0))
                    && (part.size() == 1 || !part.get(1).isSymbol("[") && !part.get(1).isSymbol("."));
            if (plain) {
                names.add(Ddl.name(part.get(0)));
            }
        }
        return names;
    }
}
