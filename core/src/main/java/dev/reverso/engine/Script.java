package dev.reverso.engine;

import dev.reverso.ReversoException;
import dev.reverso.sql.Classification;
import dev.reverso.sql.Classifier;
import dev.reverso.sql.SqlSyntaxException;
import dev.reverso.sql.Statement;
import dev.reverso.sql.StatementSplitter;

import java.util.ArrayList;
import java.util.List;

/**
 * A migration script split into steps and classified, and how it must run: in one transaction,
 * or statement by statement in autocommit when a statement cannot run in a transaction block or
 * the file asks for it with {@code -- reverso:no-transaction}.
 *
 * @param origin where the script came from (a file name, or the stored down of a version), for messages
 * @param steps its statements
 * @param autocommit true when it must run step by step outside a transaction
 */
public record Script(String origin, List<Step> steps, boolean autocommit) {

    public Script {
        steps = List.copyOf(steps);
    }

    /**
     * Splits and classifies a script. A {@code BEGIN ... COMMIT} wrapping the whole file is dropped
     * (golang-migrate files often carry one; Reverso opens the transaction itself); any other
     * transaction control is refused, since it would break Reverso's own transaction and journal.
     *
     * @throws ReversoException of kind BAD_INPUT naming origin, line and column
     */
    public static Script parse(String origin, String text, boolean noTransaction, Classifier classifier) {
        List<Statement> statements;
        try {
            statements = StatementSplitter.split(text);
        } catch (SqlSyntaxException e) {
            throw new ReversoException(ReversoException.Kind.BAD_INPUT, origin + ": " + e.getMessage());
        }
        List<Classification> classes = new ArrayList<>(statements.size());
        for (Statement s : statements) {
            classes.add(classifier.classify(s));
        }
        int from = 0;
        int to = statements.size();
        if (to >= 2 && isBegin(classes.get(0)) && isCommit(classes.get(to - 1))) {
            from = 1;
            to--;
        }
        List<Step> steps = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            Statement s = statements.get(i);
            Classification c = classes.get(i);
            if (c.transactionControl()) {
                throw new ReversoException(ReversoException.Kind.BAD_INPUT, origin + ":" + s.line() + ":" + s.column()
                        + ": " + c.command() + " is not allowed inside a migration; Reverso runs each migration in its own"
                        + " transaction (start the file with -- reverso:no-transaction to run statements one by one)");
            }
            steps.add(new Step(steps.size() + 1, s, c));
        }
        return new Script(origin, steps, runsStepByStep(noTransaction, classes));
    }

    /**
     * Whether Reverso runs a script statement by step rather than in one transaction: the file
     * asks for it, or a statement cannot run in a transaction block. Transaction control does not
     * count (a wrapping BEGIN ... COMMIT is dropped). The linter asks the same question.
     */
    public static boolean runsStepByStep(boolean noTransactionDirective, List<Classification> statements) {
        return noTransactionDirective || statements.stream().anyMatch(c -> !c.transactionControl() && !c.transactional());
    }

    private static boolean isBegin(Classification c) {
        return c.command().equals("BEGIN") || c.command().equals("START TRANSACTION");
    }

    private static boolean isCommit(Classification c) {
        return c.command().equals("COMMIT") || c.command().equals("END");
    }

    /** Whether any step takes a lock that blocks the application's writes (see {@link Step#blocksApplication()}). */
    public boolean blocksApplication() {
        return steps.stream().anyMatch(Step::blocksApplication);
    }

    /** The first statement that forces autocommit, for explaining why a script runs step by step. */
    public java.util.Optional<Step> firstNonTransactional() {
        return steps.stream().filter(s -> !s.classification().transactional()).findFirst();
    }
}
