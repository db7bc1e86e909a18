package io.pgops.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Tiny HTTP GET for readiness checks, and for reads that need a bearer token. */
public final class Http {
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private Http() {}

    /** The status code, or -1 when nothing answers. */
    public static int status(String url) {
        return get(url).status();
    }

    public static Response get(String url) {
        return get(url, null);
    }

    /** A GET with {@code Authorization: authorization} (e.g. {@code Bearer <jwt>}); none when null. */
    public static Response get(String url, String authorization) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3));
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            HttpResponse<String> r = CLIENT.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Response(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(-1, "interrupted");
        }
    }

    public record Response(int status, String body) {}
}
