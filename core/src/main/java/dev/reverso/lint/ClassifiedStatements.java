package dev.reverso.lint;

import dev.reverso.sql.Classification;
import dev.reverso.sql.Classifier;
import dev.reverso.sql.Statement;
import dev.reverso.sql.StatementSplitter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A file's statements, split and classified, for a large file on two threads at once: the
 * splitter hands over statements in batches as it reads them, a helper thread classifies each
 * batch as it comes, and when the splitting thread is done it classifies the batches still
 * waiting. Before, the whole file was split first and then classified; now the classifying mostly
 * happens while the file is read. Each statement is classified on its own (the classifier holds
 * no state), so the result is the same in any order.
 */
final class ClassifiedStatements {

    private static final int BATCH = 512;

    /** Statements and their classifications, filled by whichever thread took the batch. */
    private record Batch(List<Statement> statements, Classification[] classes) {
    }

    private static final Batch END = new Batch(List.of(), new Classification[0]);

    private final Classifier classifier;
    private final LinkedBlockingQueue<Batch> waiting = new LinkedBlockingQueue<>();
    private final List<Batch> batches = new ArrayList<>();
    private volatile RuntimeException failure;

    private ClassifiedStatements(Classifier classifier) {
        this.classifier = classifier;
    }

    /** The statements and, at the same index, their classifications. */
    record Result(List<Statement> statements, List<Classification> classes) {
    }

    /**
     * Splits and classifies a script; with {@code twoThreads}, classifying on a helper thread
     * while splitting.
     *
     * @throws dev.reverso.sql.SqlSyntaxException as {@link StatementSplitter#split(String)}
     */
    static Result read(String script, Classifier classifier, boolean twoThreads) {
        if (!twoThreads) {
            List<Statement> statements = StatementSplitter.split(script);
            List<Classification> classes = new ArrayList<>(statements.size());
            for (Statement s : statements) {
                classes.add(classifier.classify(s));
            }
            return new Result(statements, classes);
        }
        return new ClassifiedStatements(classifier).readOnTwoThreads(script);
    }

    private Result readOnTwoThreads(String script) {
        Thread helper = new Thread(this::classifyUntilEnd, "reverso-lint-classify");
        helper.setDaemon(true);
        helper.start();
        try {
            List<Statement> batch = new ArrayList<>(BATCH);
            List<Statement> all = new ArrayList<>();
            StatementSplitter.split(script, s -> {
                all.add(s);
                batch.add(s);
                if (batch.size() == BATCH) {
                    hand(List.copyOf(batch));
                    batch.clear();
                }
            });
            hand(List.copyOf(batch));
            // The helper may still be on a batch; this thread takes the ones no one has taken yet.
            for (Batch b = waiting.poll(); b != null && b != END; b = waiting.poll()) {
                classify(b);
            }
            waiting.add(END);
            join(helper);
            if (failure != null) {
                throw failure;
            }
            List<Classification> classes = new ArrayList<>(all.size());
            for (Batch b : batches) {
                classes.addAll(java.util.Arrays.asList(b.classes()));
            }
            return new Result(all, classes);
        } finally {
            waiting.add(END);
        }
    }

    private void hand(List<Statement> statements) {
        Batch b = new Batch(statements, new Classification[statements.size()]);
        batches.add(b);
        waiting.add(b);
    }

    private void classifyUntilEnd() {
        try {
            for (Batch b = waiting.take(); b != END; b = waiting.take()) {
                classify(b);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private void classify(Batch b) {
        for (int i = 0; i < b.statements().size(); i++) {
            b.classes()[i] = classifier.classify(b.statements().get(i));
        }
    }

    private static void join(Thread helper) {
        try {
            helper.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while linting", e);
        }
    }
}
