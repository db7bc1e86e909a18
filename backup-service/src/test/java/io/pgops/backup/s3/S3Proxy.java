package io.pgops.backup.s3;

import static org.awaitility.Awaitility.await;

import io.pgops.backup.domain.S3Location;
import io.pgops.backup.service.S3Settings;
import io.pgops.backup.service.S3Store;
import io.pgops.stack.process.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real S3-compatible server for the tests: s3proxy (from Maven Central, copied by the s3proxy-dist module) on its
 * filesystem backend, on a free loopback port, as a process of its own; {@link #close} stops it by its pid.
 */
public final class S3Proxy implements AutoCloseable {
    public static final String ACCESS_KEY = "pgops-test-access";
    public static final String SECRET_KEY = "pgops-test-secret-never-logged";
    private static final Path LIBS = Path.of("..", "s3proxy-dist", "target", "s3proxy-libs");

    private final Process process;
    private final int port;
    private final Path dir;

    private S3Proxy(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** Starts s3proxy storing under {@code dir} and waits until it accepts connections. */
    public static S3Proxy start(Path dir) throws IOException {
        if (!Files.isDirectory(LIBS)) {
            throw new IllegalStateException(LIBS.toAbsolutePath() + " is missing: build it with"
                    + " `./mvnw -o -q -f s3proxy-dist/pom.xml package` (the full build does it before backup-service)");
        }
        Path data = Files.createDirectories(dir.resolve("data"));
        int port = Ports.free();
        Path props = dir.resolve("s3proxy.properties");
        Files.writeString(
                props,
                String.join(
                        "\n",
                        "s3proxy.endpoint=http://127.0.0.1:" + port,
                        "s3proxy.authorization=aws-v2-or-v4",
                        "s3proxy.identity=" + ACCESS_KEY,
                        "s3proxy.credential=" + SECRET_KEY,
                        "jclouds.provider=filesystem-nio2",
                        "jclouds.identity=" + ACCESS_KEY,
                        "jclouds.credential=" + SECRET_KEY,
                        "jclouds.filesystem.basedir=" + data.toAbsolutePath(),
                        ""));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        java,
                        "-Xmx256m",
                        "-cp",
                        LIBS.toAbsolutePath() + "/*",
                        "org.gaul.s3proxy.Main",
                        "--properties",
                        props.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("s3proxy.log").toFile())
                .start();
        S3Proxy proxy = new S3Proxy(p, port, dir);
        try {
            await("s3proxy accepting connections on port " + port + " (log: " + dir.resolve("s3proxy.log") + ")")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (!p.isAlive()) {
                            throw new IllegalStateException(
                                    "s3proxy exited: " + Files.readString(dir.resolve("s3proxy.log")));
                        }
                        return accepts(port);
                    });
        } catch (RuntimeException e) {
            proxy.close();
            throw e;
        }
        return proxy;
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The settings that reach this server, credentials from {@link #env()}, with {@code partSize} per part. */
    public S3Settings settings(long partSize, int parallel) {
        return new S3Settings(Optional.of(endpoint()), "us-east-1", true, Optional.empty(), partSize, parallel);
    }

    /** The environment a client reads the credentials from. */
    public Map<String, String> env() {
        return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    }

    /** A store on a new bucket of this server. */
    public S3Store bucket(S3Location where, long partSize, int parallel) {
        S3Store store = new S3Store(where, settings(partSize, parallel), env());
        store.createBucket();
        return store;
    }

    /** The command-line options that reach this server (credentials from the environment). */
    public List<String> cliOptions() {
        return List.of("--s3-endpoint", endpoint().toString(), "--s3-path-style");
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
