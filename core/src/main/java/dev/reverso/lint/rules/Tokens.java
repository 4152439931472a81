package dev.reverso.lint.rules;

import dev.reverso.engine.Step;
import dev.reverso.lint.SchemaState;
import dev.reverso.lint.StatementContext;
import dev.reverso.lint.TableDdl;
import dev.reverso.sql.LockMode;
import dev.reverso.sql.RelationLock;
import dev.reverso.sql.Token;
import dev.reverso.sql.TokenType;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Token scanning shared by the lock rules (section 2a): reading the current statement's ALTER
 * TABLE actions, cutting SQL text out of it for rewrites, judging DEFAULT volatility and type
 * changes, and the "slow statement" and "held lock" questions rules 13, 24 and 27 share.
 */
final class Tokens {

    /** Built-in functions that are VOLATILE: a DEFAULT calling one rewrites the table. */
    static final Set<String> VOLATILE_FUNCTIONS = Set.of(
            "random", "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4",
            "uuidv4", "uuidv7", "clock_timestamp", "timeofday", "nextval", "setval", "txid_current", "random_normal",
            "gen_random_bytes", "pg_current_xact_id");

    /** Built-ins known not to be VOLATILE (STABLE or IMMUTABLE): a DEFAULT calling them is evaluated once. */
    static final Set<String> NON_VOLATILE_FUNCTIONS = Set.of(
            "now", "transaction_timestamp", "statement_timestamp", "current_setting", "lower", "upper", "coalesce",
            "nullif", "greatest", "least", "concat", "concat_ws", "length", "trim", "btrim", "to_char", "to_date",
            "to_timestamp", "to_json", "to_jsonb", "json_build_object", "jsonb_build_object", "json_build_array",
            "jsonb_build_array", "array_fill", "make_date", "make_interval", "make_timestamp", "make_timestamptz",
            "date_trunc", "abs", "round", "md5", "replace", "substr", "substring", "format", "cast", "current_date",
            "current_time", "current_timestamp", "localtime", "localtimestamp", "current_user", "session_user",
            "current_schema", "array", "row", "timezone");

    private static final Pattern ZERO = Pattern.compile("0+(\\.0*)?\\s*(us|ms|s|min|h|d)?");

    private Tokens() {
    }

    // ---------------------------------------------------------------- text

    /** The SQL text of a run of the current statement's tokens, as written. */
    static String text(StatementContext ctx, List<Token> part) {
        if (part.isEmpty()) {
            return "";
        }
        int base = ctx.tokens().get(0).offset();
        return ctx.sql().substring(part.get(0).offset() - base, part.get(part.size() - 1).end() - base);
    }

    /** The statement's text with the tokens from {@code from} to {@code to} (inclusive) replaced. */
    static String replace(StatementContext ctx, Token from, Token to, String with) {
        int base = ctx.tokens().get(0).offset();
        String sql = ctx.sql();
        return sql.substring(0, from.offset() - base) + with + sql.substring(to.end() - base);
    }

    /** The statement's text with {@code word} inserted after the token. */
    static String insertAfter(StatementContext ctx, Token after, String word) {
        int base = ctx.tokens().get(0).offset();
        String sql = ctx.sql();
        int at = after.end() - base;
        return sql.substring(0, at) + " " + word + sql.substring(at);
    }

    /** The statement's text without its first {@code IF NOT EXISTS}, cut by tokens (a comment cannot fool it). */
    static String withoutIfNotExists(StatementContext ctx) {
        List<Token> t = ctx.tokens();
        for (int i = 1; i + 2 < t.size(); i++) {
            if (TableDdl.at(t, i, "IF", "NOT", "EXISTS")) {
                int base = t.get(0).offset();
                String sql = ctx.sql();
                return sql.substring(0, t.get(i - 1).end() - base) + sql.substring(t.get(i + 2).end() - base);
            }
        }
        return ctx.sql();
    }

    /** The statement's text without one of its tokens (and the space before it). */
    static String without(StatementContext ctx, Token token) {
        List<Token> t = ctx.tokens();
        int i = t.indexOf(token);
        int base = t.get(0).offset();
        String sql = ctx.sql();
        int from = i > 0 ? t.get(i - 1).end() - base : token.offset() - base;
        return sql.substring(0, from) + sql.substring(token.end() - base);
    }

    /** A keyword in the case the statement uses (lower case if {@code like} is). */
    static String kw(Token like, String word) {
        return like != null && like.text().equals(like.text().toLowerCase(Locale.ROOT))
                ? word.toLowerCase(Locale.ROOT) : word.toUpperCase(Locale.ROOT);
    }

    static String kw(StatementContext ctx, String word) {
        return kw(ctx.tokens().isEmpty() ? null : ctx.tokens().get(0), word);
    }

    /** The index of the first token that is {@code word}, or -1. */
    static int find(List<Token> tokens, String word) {
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).isWord(word)) {
                return i;
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------- the current statement

    /** The current statement as an ALTER TABLE, if it is one. */
    static Optional<TableDdl.AlterTable> alterTable(StatementContext ctx) {
        if (!ctx.classification().command().equals("ALTER TABLE")) {
            return Optional.empty();
        }
        return ctx.perStatement("tokens:alter-table", c -> TableDdl.alterTable(c.tokens()));
    }

    /** The ALTER TABLE's target, unless this migration created it (the common exemption of the lock rules). */
    static Optional<TableDdl.AlterTable> alterExistingTable(StatementContext ctx) {
        Optional<TableDdl.AlterTable> alter = alterTable(ctx);
        return alter.isPresent() && ctx.createdInThisMigration(alter.get().table()) ? Optional.empty() : alter;
    }

    /** The first relation the statement names, or null. */
    static String firstTarget(StatementContext ctx) {
        List<String> targets = ctx.classification().targets();
        return targets.isEmpty() ? null : targets.get(0);
    }

    /** Whether every relation the statement names was created earlier in this migration (and it names one). */
    static boolean allTargetsNew(StatementContext ctx) {
        List<String> targets = ctx.classification().targets();
        return !targets.isEmpty() && targets.stream().allMatch(ctx::createdInThisMigration);
    }

    // ---------------------------------------------------------------- defaults

    /** How a DEFAULT expression behaves when ADD COLUMN fills existing rows. */
    enum Volatility { CONSTANT, STABLE, VOLATILE, UNKNOWN_FUNCTION }

    /** A DEFAULT's volatility, and the function that decided it. */
    record DefaultKind(Volatility volatility, String function) {
    }

    /** Judges a DEFAULT expression by the functions it calls. */
    static DefaultKind defaultKind(List<Token> expression) {
        DefaultKind result = new DefaultKind(Volatility.CONSTANT, null);
        for (int i = 0; i < expression.size(); i++) {
            Token t = expression.get(i);
            boolean afterCast = i > 0 && expression.get(i - 1).isSymbol("::");
            boolean call = i + 1 < expression.size() && expression.get(i + 1).isSymbol("(") && !afterCast;
            String name = TableDdl.ident(t);
            if (name == null) {
                continue;
            }
            if (i + 2 < expression.size() && expression.get(i + 1).isSymbol(".")) {
                continue; // the schema of a qualified function name: judge the name itself
            }
            if (!call) {
                if (t.type() == TokenType.WORD && Set.of("CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME",
                        "LOCALTIMESTAMP", "LOCALTIME").contains(t.upper()) && result.volatility() == Volatility.CONSTANT) {
                    result = new DefaultKind(Volatility.STABLE, name);
                }
                continue;
            }
            if (VOLATILE_FUNCTIONS.contains(name)) {
                return new DefaultKind(Volatility.VOLATILE, name);
            }
            if (NON_VOLATILE_FUNCTIONS.contains(name) || isTypeName(name)) {
                if (result.volatility() == Volatility.CONSTANT) {
                    result = new DefaultKind(Volatility.STABLE, name);
                }
            } else if (result.volatility() != Volatility.UNKNOWN_FUNCTION) {
                result = new DefaultKind(Volatility.UNKNOWN_FUNCTION, name);
            }
        }
        return result;
    }

    private static boolean isTypeName(String name) {
        return Set.of("numeric", "decimal", "varchar", "char", "character", "timestamp", "timestamptz", "time",
                "interval", "bit", "varbit", "float").contains(name);
    }

    /** Whether the DEFAULT is NULL (or absent). */
    static boolean isNullDefault(List<Token> expression) {
        return expression.isEmpty() || expression.size() == 1 && expression.get(0).isWord("NULL");
    }

    // ---------------------------------------------------------------- type changes

    /**
     * Why changing a column from {@code oldType} to {@code newType} needs no rewrite, or null when
     * it does (or may). Both types are normalised.
     */
    static String noRewriteReason(String oldType, String newType) {
        if (oldType.equals(newType)) {
            return "the type does not change";
        }
        if (TableDdl.isArray(oldType) || TableDdl.isArray(newType)) {
            return null;
        }
        String ob = TableDdl.baseType(oldType);
        String nb = TableDdl.baseType(newType);
        List<Integer> om = TableDdl.typeModifiers(oldType);
        List<Integer> nm = TableDdl.typeModifiers(newType);
        boolean noNewMods = newType.equals(nb);
        if ((ob.equals("varchar") || ob.equals("text")) && nb.equals("text")) {
            return ob + " to text is binary-coercible";
        }
        if ((ob.equals("varchar") || ob.equals("text")) && nb.equals("varchar") && noNewMods) {
            return ob + " to varchar without a length is binary-coercible";
        }
        if (ob.equals("varchar") && nb.equals("varchar") && om.size() == 1 && nm.size() == 1 && nm.get(0) >= om.get(0)) {
            return "a longer varchar limit is only a catalog change";
        }
        if (ob.equals("varbit") && nb.equals("varbit") && (noNewMods
                || om.size() == 1 && nm.size() == 1 && nm.get(0) >= om.get(0))) {
            return "a longer varbit limit is only a catalog change";
        }
        if (ob.equals("numeric") && nb.equals("numeric")) {
            if (noNewMods) {
                return "numeric without precision accepts every value";
            }
            int oScale = om.size() > 1 ? om.get(1) : 0;
            int nScale = nm.size() > 1 ? nm.get(1) : 0;
            if (!om.isEmpty() && !nm.isEmpty() && nScale == oScale && nm.get(0) >= om.get(0)) {
                return "a numeric precision increase at the same scale is only a catalog change";
            }
        }
        if (ob.equals("cidr") && nb.equals("inet")) {
            return "cidr to inet is binary-coercible";
        }
        return null;
    }

    // ---------------------------------------------------------------- slow statements

    /** The commands {@link #slowReason} can call slow: the cases of its switch. */
    static final Set<String> MAY_BE_SLOW = Set.of("UPDATE", "DELETE", "MERGE", "INSERT", "CREATE TABLE AS", "SELECT INTO",
            "CREATE INDEX", "REINDEX", "CLUSTER", "REFRESH MATERIALIZED VIEW", "VACUUM", "ALTER DOMAIN", "ALTER TABLE");

    /**
     * Why the current statement may run for a time that grows with the table (a scan, a rewrite,
     * an index build, a bulk data change), or null if it is quick. It follows the lock rules'
     * exemptions: DDL on a table this migration created is quick.
     */
    static String slowReason(StatementContext ctx) {
        if (!MAY_BE_SLOW.contains(ctx.classification().command())) {
            return null;
        }
        String command = ctx.classification().command();
        List<Token> tokens = ctx.tokens();
        String target = firstTarget(ctx);
        boolean targetNew = target != null && ctx.createdInThisMigration(target);
        switch (command) {
            case "UPDATE", "DELETE", "MERGE" -> {
                return targetNew ? null : command + " of " + target;
            }
            case "INSERT" -> {
                return TableDdl.hasWord(tokens, "SELECT") ? "INSERT ... SELECT into " + target : null;
            }
            case "CREATE TABLE AS", "SELECT INTO" -> {
                return "copying rows into a new table";
            }
            case "CREATE INDEX" -> {
                return targetNew ? null : "an index build on " + target;
            }
            case "REINDEX" -> {
                return "a reindex";
            }
            case "CLUSTER" -> {
                return "CLUSTER rewriting " + (target == null ? "tables" : target);
            }
            case "REFRESH MATERIALIZED VIEW" -> {
                return targetNew ? null : "refreshing " + target;
            }
            case "VACUUM" -> {
                return TableDdl.hasWord(tokens, "FULL") ? "VACUUM FULL rewriting " + (target == null ? "tables" : target) : null;
            }
            case "ALTER DOMAIN" -> {
                return TableDdl.hasWord(tokens, "CONSTRAINT") && TableDdl.hasWord(tokens, "ADD") && !TableDdl.hasWord(tokens, "VALID")
                        ? "ADD CONSTRAINT on a domain scans every column that uses it" : null;
            }
            case "ALTER TABLE" -> {
                if (TableDdl.hasWord(tokens, "ATTACH") && TableDdl.hasWord(tokens, "PARTITION")) {
                    return "ATTACH PARTITION scanning the incoming table";
                }
                return alterExistingTable(ctx).map(a -> slowAlter(ctx, a)).orElse(null);
            }
            default -> {
                return null;
            }
        }
    }

    private static String slowAlter(StatementContext ctx, TableDdl.AlterTable alter) {
        String table = alter.table();
        SchemaState schema = ctx.schema();
        for (TableDdl.Action action : alter.actions()) {
            Optional<TableDdl.ColumnDef> added = action.addColumn();
            if (added.isPresent()) {
                TableDdl.ColumnDef col = added.get();
                if (col.serial() || col.identity() || col.generatedStored()) {
                    return "adding " + col.name() + " rewrites " + table;
                }
                if (col.defaultExpression().map(d -> defaultKind(d).volatility() == Volatility.VOLATILE).orElse(false)) {
                    return "adding " + col.name() + " with a volatile default rewrites " + table;
                }
                if (col.check()) {
                    return "the inline CHECK on " + col.name() + " scans " + table;
                }
                if (col.unique() || col.primaryKey()) {
                    return "the index for " + col.name() + " is built on " + table;
                }
                continue;
            }
            Optional<TableDdl.TableConstraint> constraint = action.addConstraint();
            if (constraint.isPresent()) {
                TableDdl.TableConstraint c = constraint.get();
                boolean scans = (c.kind().equals("CHECK") || c.kind().equals("FOREIGN KEY")) && !c.notValid();
                boolean builds = !c.kind().equals("CHECK") && !c.kind().equals("FOREIGN KEY") && !c.usingIndex();
                if (scans || builds) {
                    return "ADD " + c.kind() + (scans ? " scans " : " builds an index on ") + table;
                }
                continue;
            }
            if (action.validatedConstraint().isPresent()) {
                return "VALIDATE CONSTRAINT scans " + table;
            }
            Optional<TableDdl.AlterColumn> altered = action.alterColumn();
            if (altered.isPresent()) {
                TableDdl.AlterColumn a = altered.get();
                if (a.setNotNull() && !(ctx.settings().serverMajor() >= 12
                        && schema.hasValidatedNotNullCheck(table, a.column()))
                        && !schema.column(table, a.column()).map(SchemaState.Column::notNull).orElse(false)) {
                    return "SET NOT NULL scans " + table;
                }
                if (a.newType().isPresent()) {
                    Optional<String> old = schema.columnType(table, a.column());
                    String newType = TableDdl.normaliseType(a.newType().get());
                    if (a.using() || old.isEmpty() || noRewriteReason(old.get(), newType) == null) {
                        return "changing the type of " + a.column() + " rewrites " + table;
                    }
                }
                continue;
            }
            if (action.startsWith("SET", "LOGGED") || action.startsWith("SET", "UNLOGGED")
                    || action.startsWith("SET", "TABLESPACE") || action.startsWith("SET", "ACCESS", "METHOD")) {
                return "SET " + action.tokens().get(1).upper() + " rewrites " + table;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- locks held in the transaction

    /**
     * The earlier step of this migration, run in the same transaction, that locked {@code table}
     * at least as strongly as {@code mode} (or, when table is null, any existing relation at
     * ACCESS EXCLUSIVE); null if none, or if the migration does not run in one transaction.
     */
    static Step earlierLock(StatementContext ctx, String table, Set<LockMode> modes) {
        if (!ctx.migration().runsInTransaction()) {
            return null;
        }
        // Per file, the first step that took one of these modes on each relation, in step order.
        java.util.LinkedHashMap<String, Integer> first = ctx.perFile(java.util.List.of("earlier-lock", modes), migration -> {
            java.util.Map<String, Integer> seen = new java.util.HashMap<>();
            for (int i = 0; i < migration.steps().size(); i++) {
                Step step = migration.steps().get(i);
                if (!step.classification().lockCertain()) {
                    continue;
                }
                for (RelationLock lock : step.classification().locks()) {
                    if (modes.contains(lock.mode())) {
                        seen.putIfAbsent(SchemaState.normalise(lock.relation()), i);
                    }
                }
            }
            java.util.LinkedHashMap<String, Integer> ordered = new java.util.LinkedHashMap<>();
            seen.entrySet().stream().sorted(java.util.Map.Entry.comparingByValue())
                    .forEach(e -> ordered.put(e.getKey(), e.getValue()));
            return ordered;
        });
        for (java.util.Map.Entry<String, Integer> e : first.entrySet()) {
            if (e.getValue() >= ctx.index()) {
                break;
            }
            boolean matches = table == null ? !ctx.createdInThisMigration(e.getKey())
                    : e.getKey().equals(SchemaState.normalise(table));
            if (matches) {
                return ctx.migration().steps().get(e.getValue());
            }
        }
        return null;
    }

    /** The relation of {@code step} locked ACCESS EXCLUSIVE that this migration did not create. */
    static String accessExclusiveRelation(StatementContext ctx, Step step) {
        return step.classification().locks().stream()
                .filter(l -> l.mode() == LockMode.ACCESS_EXCLUSIVE && !ctx.createdInThisMigration(l.relation()))
                .map(RelationLock::relation).findFirst().orElse(null);
    }

    /**
     * For a VALIDATE CONSTRAINT: the earlier step in the same transaction that took ACCESS
     * EXCLUSIVE or SHARE ROW EXCLUSIVE on its table (rule 13), or null.
     */
    static Step validateUnderEarlierLock(StatementContext ctx) {
        Optional<TableDdl.AlterTable> alter = alterExistingTable(ctx);
        if (alter.isEmpty() || alter.get().actions().stream().noneMatch(a -> a.validatedConstraint().isPresent())) {
            return null;
        }
        return earlierLock(ctx, alter.get().table(), Set.of(LockMode.ACCESS_EXCLUSIVE, LockMode.SHARE_ROW_EXCLUSIVE));
    }

    // ---------------------------------------------------------------- settings

    /**
     * What the statement does to a setting: "zero" for {@code SET name = 0} (any unit) or
     * {@code SET name TO DEFAULT} / {@code RESET name}, "set" for a non-zero value, null when the
     * statement is not about that setting.
     */
    static String settingChange(Step step, String setting) {
        String command = step.classification().command();
        if (!command.equals("RESET") && !command.equals("SET")) {
            return null; // before reading the tokens: this runs over every statement of the file
        }
        List<Token> t = step.statement().tokens();
        if (command.equals("RESET")) {
            return t.size() > 1 && t.get(1).isWord(setting) ? "zero" : t.size() > 1 && t.get(1).isWord("ALL") ? "zero" : null;
        }
        if (!command.equals("SET")) {
            return null;
        }
        int i = 1;
        if (TableDdl.at(t, i, "SESSION") || TableDdl.at(t, i, "LOCAL")) {
            i++;
        }
        if (!TableDdl.at(t, i, setting) || i + 2 >= t.size()) {
            return null;
        }
        Token value = t.get(i + 2);
        if (value.isWord("DEFAULT")) {
            return "zero";
        }
        String text = value.text();
        if (value.type() == TokenType.STRING) {
            text = text.substring(1, text.length() - 1);
        }
        if (i + 3 < t.size() && value.type() == TokenType.NUMBER) {
            text = text + t.get(i + 3).text();
        }
        return ZERO.matcher(text.trim().toLowerCase(Locale.ROOT)).matches() ? "zero" : "set";
    }

    /** The last change to the setting before the current statement in this migration: "zero", "set" or null. */
    static String settingBefore(StatementContext ctx, String setting) {
        String[] before = ctx.perFile("setting-before:" + setting, migration -> {
            String[] states = new String[migration.steps().size()];
            String state = null;
            for (int i = 0; i < states.length; i++) {
                states[i] = state;
                String change = settingChange(migration.steps().get(i), setting);
                state = change != null ? change : state;
            }
            return states;
        });
        return before[ctx.index()];
    }

    /** Whether the current statement is inside the file's own BEGIN ... COMMIT. */
    static boolean insideExplicitTransaction(StatementContext ctx) {
        boolean[] inside = ctx.perFile("inside-explicit-transaction", migration -> {
            boolean[] open = new boolean[migration.steps().size()];
            boolean state = false;
            for (int i = 0; i < open.length; i++) {
                open[i] = state;
                String c = migration.steps().get(i).classification().command();
                if (c.equals("BEGIN") || c.equals("START TRANSACTION")) {
                    state = true;
                } else if (c.equals("COMMIT") || c.equals("ROLLBACK") || c.equals("PREPARE TRANSACTION")) {
                    state = false;
                }
            }
            return open;
        });
        return inside[ctx.index()];
    }
}
