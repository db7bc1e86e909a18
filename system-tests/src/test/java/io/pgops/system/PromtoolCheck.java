package io.pgops.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Prometheus' {@code promtool} (Debian's prometheus package) run on what a live endpoint serves. */
final class PromtoolCheck {
    private PromtoolCheck() {}

    static Path promtool() {
        for (String p : new String[] {"/usr/bin/promtool", "/usr/local/bin/promtool"}) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        throw new AssertionError(
                "promtool is missing: apt-get install -y prometheus (bin/pgops test installs it as root)");
    }

    /**
     * Scrapes {@code url} (with {@code authorization}: metrics need a reader's token) in the text format 0.0.4 that promtool reads, asserts promtool finds no problem, and
     * returns the scrape.
     */
    static String metricsPass(String url, String who, String authorization) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .header("Accept", "text/plain; version=0.0.4")
                                    .header("Authorization", authorization)
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), who + " " + url);
            Process p = new ProcessBuilder(promtool().toString(), "check", "metrics")
                    .redirectErrorStream(true)
                    .start();
            p.getOutputStream().write(r.body().getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("promtool did not finish in 30 s");
            }
            assertEquals(0, p.exitValue(), "promtool check metrics on " + who + ":\n" + said);
            return r.body();
        } catch (IOException e) {
            throw new AssertionError("cannot check the metrics of " + who + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
