package dev.reverso.sql;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the relations a query reads: the names in FROM lists and after JOIN, leaving out
 * common table expressions, function calls and the FROM of {@code extract(... FROM ...)},
 * {@code substring(... FROM ...)} and {@code IS DISTINCT FROM}. A best effort, not a parser.
 */
final class QueryRelations {

    /** Words after which "(" opens a subquery or an expression rather than a function's arguments. */
    private static final Set<String> NON_FUNCTION_WORDS = Set.of(
            "IN", "EXISTS", "ANY", "ALL", "SOME", "ARRAY", "AS", "FROM", "JOIN", "LATERAL", "SELECT",
            "WHERE", "AND", "OR", "NOT", "ON", "THEN", "ELSE", "WHEN", "VALUES", "USING", "RETURNING",
            "UNION", "INTERSECT", "EXCEPT", "WITH", "BY", "SET", "MATERIALIZED", "IS", "CASE", "INTO");

    /** Words that end a FROM list. */
    private static final Set<String> CLAUSE_WORDS = Set.of(
            "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "FETCH", "FOR", "WINDOW", "UNION",
            "INTERSECT", "EXCEPT", "ON", "USING", "RETURNING", "SET", "WHEN", "INTO", "JOIN", "INNER",
            "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL");

    private QueryRelations() {
    }

    /** The relations read by the query in {@code tokens}, from index {@code from} on. */
    static List<QualifiedName> read(List<Token> tokens, int from) {
        Set<String> cteNames = cteNames(tokens, from);
        List<QualifiedName> relations = new ArrayList<>();
        List<Boolean> functionParens = new ArrayList<>();
        int fromListDepth = -1;
        for (int i = from; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            int depth = functionParens.size();
            if (token.isSymbol("(")) {
                functionParens.add(isFunctionCall(tokens, i, from) || insideFunction(functionParens));
            } else if (token.isSymbol(")")) {
                if (!functionParens.isEmpty()) {
                    functionParens.remove(functionParens.size() - 1);
                }
                if (functionParens.size() < fromListDepth) {
                    fromListDepth = -1;
                }
            } else if (insideFunction(functionParens)) {
                continue;
            } else if (token.isWord("FROM") && !previousIs(tokens, i, from, "DISTINCT")) {
                fromListDepth = depth;
                addRelationAt(tokens, i + 1, cteNames, relations);
            } else if (token.isWord("JOIN")) {
                addRelationAt(tokens, i + 1, cteNames, relations);
            } else if (token.isSymbol(",") && depth == fromListDepth) {
                addRelationAt(tokens, i + 1, cteNames, relations);
            } else if (token.type() == TokenType.WORD && depth == fromListDepth
                    && CLAUSE_WORDS.contains(token.upper())) {
                fromListDepth = -1;
            }
        }
        return relations;
    }

    private static boolean insideFunction(List<Boolean> functionParens) {
        return !functionParens.isEmpty() && functionParens.get(functionParens.size() - 1);
    }

    private static boolean isFunctionCall(List<Token> tokens, int paren, int from) {
        if (paren <= from) {
            return false;
        }
        Token before = tokens.get(paren - 1);
        return TokenCursor.isIdentifier(before)
                && !(before.type() == TokenType.WORD && NON_FUNCTION_WORDS.contains(before.upper()));
    }

    private static boolean previousIs(List<Token> tokens, int i, int from, String word) {
        return i > from && tokens.get(i - 1).isWord(word);
    }

    private static void addRelationAt(List<Token> tokens, int at, Set<String> cteNames,
            List<QualifiedName> relations) {
        TokenCursor cursor = new TokenCursor(tokens.subList(at, tokens.size()));
        while (cursor.accept("ONLY") || cursor.accept("LATERAL")) {
            // modifiers before the relation name
        }
        cursor.name()
                .filter(name -> !cursor.atSymbol("("))
                .filter(name -> !(name.parts().size() == 1 && cteNames.contains(name.name())))
                .filter(name -> !isKeywordStart(name))
                .ifPresent(relations::add);
    }

    private static boolean isKeywordStart(QualifiedName name) {
        return name.parts().size() == 1 && Set.of("select", "values", "with").contains(name.name());
    }

    /** Names defined by {@code name [(columns)] AS [[NOT] MATERIALIZED] (}. */
    private static Set<String> cteNames(List<Token> tokens, int from) {
        Set<String> names = new HashSet<>();
        for (int i = from; i + 2 < tokens.size(); i++) {
            if (tokens.get(i + 1).isWord("AS") && TokenCursor.isIdentifier(tokens.get(i))) {
                Token after = tokens.get(i + 2);
                if (after.isSymbol("(") || after.isWord("MATERIALIZED") || after.isWord("NOT")) {
                    names.add(Identifiers.name(tokens.get(i)));
                }
            }
        }
        return names;
    }
}
