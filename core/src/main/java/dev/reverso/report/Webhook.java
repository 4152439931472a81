package dev.reverso.report;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Posts {@link Notification}s to a URL on a background thread, in order, so a slow or failing
 * receiver never holds up or fails a migration: each post has a short timeout and a few tries
 * with backoff; what could not be delivered is kept as a failure line for the caller to report.
 */
public final class Webhook implements AutoCloseable {

    private final URI url;
    private final Duration timeout;
    private final int attempts;
    private final Duration backoff;
    private final HttpClient client;
    private final ObjectMapper json = new ObjectMapper();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "reverso-webhook");
        t.setDaemon(true);
        return t;
    });
    private final List<String> failures = new ArrayList<>();
    private int queued;
    private int delivered;

    /**
     * @param timeout for connecting and for the whole answer, per try
     * @param attempts tries per message
     * @param backoff the wait after the first failed try, doubled after each
     */
    public Webhook(URI url, Duration timeout, int attempts, Duration backoff) {
        this.url = url;
        this.timeout = timeout;
        this.attempts = attempts;
        this.backoff = backoff;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** 2 s per try, 3 tries, 250 ms backoff. */
    public static Webhook to(URI url) {
        return new Webhook(url, Duration.ofSeconds(2), 3, Duration.ofMillis(250));
    }

    /** Queues a message and returns at once. */
    public synchronized void send(Notification message) {
        queued++;
        sender.execute(() -> deliver(message));
    }

    private void deliver(Notification message) {
        String last = "";
        for (int i = 1; i <= attempts; i++) {
            try {
                HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(message))).build();
                HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() / 100 == 2) {
                    synchronized (this) {
                        delivered++;
                    }
                    return;
                }
                last = "HTTP " + response.statusCode();
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (i < attempts && !pause(backoff.multipliedBy(1L << (i - 1)))) {
                return;
            }
        }
        synchronized (this) {
            failures.add("webhook " + message.event() + " message not delivered to " + redacted() + " after " + attempts
                    + " tries: " + last);
        }
    }

    private static boolean pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The URL without user info or query, which may carry a token. */
    private String redacted() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + url.getPath();
    }

    /**
     * Waits up to {@code drain} for the queued messages, then gives up on the rest.
     *
     * @return what could not be delivered, one line each
     */
    public List<String> finish(Duration drain) {
        sender.shutdown();
        boolean drained;
        try {
            drained = sender.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        if (!drained) {
            sender.shutdownNow();
        }
        synchronized (this) {
            List<String> out = new ArrayList<>(failures);
            int lost = queued - delivered - failures.size();
            if (!drained && lost > 0) {
                out.add("webhook: " + lost + " message" + (lost == 1 ? "" : "s") + " not delivered to " + redacted()
                        + " within " + drain.toMillis() + " ms after the run; given up");
            }
            return out;
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }
}
