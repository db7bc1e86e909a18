package io.pgops.backup.service;

import io.pgops.backup.domain.S3Location;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The bytes side of an S3 repository, on AWS SDK v2 with the JDK's URL connection: whole objects for small files,
 * multipart uploads with parts sent in parallel for large ones (a failed upload is aborted so no part lingers),
 * downloads to a file through a temporary name, listings by prefix.
 */
public final class S3Store implements ObjectStore, AutoCloseable {
    private final S3Client s3;
    private final String bucket;
    private final S3Settings settings;
    private final ExecutorService parts;

    public S3Store(S3Location location, S3Settings settings, Map<String, String> env) {
        S3Settings.Credentials c = settings.credentials(env);
        var b = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.of(settings.region()))
                .forcePathStyle(settings.pathStyle())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey())));
        settings.endpoint().ifPresent(b::endpointOverride);
        this.s3 = b.build();
        this.bucket = location.bucket();
        this.settings = settings;
        this.parts = Executors.newFixedThreadPool(settings.parallelParts(), r -> {
            Thread t = new Thread(r, "pgops-s3-part");
            t.setDaemon(true);
            return t;
        });
    }

    /** Uploads {@code file} to {@code key}: one PUT up to the part size, else a multipart upload in parallel. */
    @Override
    public void upload(Path file, String key) throws IOException {
        long size = Files.size(file);
        if (size <= settings.partSize()) {
            s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromFile(file));
            return;
        }
        String uploadId =
                s3.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
        try {
            List<CompletedPart> done = uploadParts(file, key, uploadId, size);
            s3.completeMultipartUpload(r -> r.bucket(bucket)
                    .key(key)
                    .uploadId(uploadId)
                    .multipartUpload(
                            CompletedMultipartUpload.builder().parts(done).build()));
        } catch (IOException | RuntimeException e) {
            try {
                s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
            } catch (RuntimeException abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    /** Parts read one after another from the file, at most {@code parallelParts} in memory and in flight. */
    private List<CompletedPart> uploadParts(Path file, String key, String uploadId, long size) throws IOException {
        int count = (int) ((size + settings.partSize() - 1) / settings.partSize());
        Semaphore inFlight = new Semaphore(settings.parallelParts());
        List<Future<CompletedPart>> futures = new ArrayList<>(count);
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = 1; n <= count; n++) {
                byte[] bytes = in.readNBytes((int) Math.min(settings.partSize(), size - (n - 1) * settings.partSize()));
                inFlight.acquireUninterruptibly();
                int number = n;
                futures.add(parts.submit(() -> {
                    try {
                        String etag = s3.uploadPart(
                                        r -> r.bucket(bucket)
                                                .key(key)
                                                .uploadId(uploadId)
                                                .partNumber(number),
                                        RequestBody.fromBytes(bytes))
                                .eTag();
                        return CompletedPart.builder()
                                .partNumber(number)
                                .eTag(etag)
                                .build();
                    } finally {
                        inFlight.release();
                    }
                }));
            }
        }
        List<CompletedPart> done = new ArrayList<>(count);
        for (Future<CompletedPart> f : futures) {
            try {
                done.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while uploading " + key, e);
            } catch (ExecutionException e) {
                throw new IOException(
                        "a part of " + key + " failed: " + e.getCause().getMessage(), e.getCause());
            }
        }
        return done;
    }

    @Override
    public void putBytes(String key, byte[] bytes) {
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
    }

    /** The object's bytes, or null when there is no such key. */
    @Override
    public byte[] getBytes(String key) {
        try {
            return s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
        } catch (NoSuchKeyException e) {
            return null;
        }
    }

    /** Downloads {@code key} into {@code target} through a temporary name beside it. */
    @Override
    public void download(String key, Path target) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".download");
        try (ResponseInputStream<GetObjectResponse> in =
                s3.getObject(r -> r.bucket(bucket).key(key))) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Every key under {@code prefix}. */
    @Override
    public List<String> keys(String prefix) {
        List<String> out = new ArrayList<>();
        for (ListObjectsV2Response page : s3.listObjectsV2Paginator(
                ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build())) {
            page.contents().stream().map(S3Object::key).forEach(out::add);
        }
        return out;
    }

    /** The common prefixes one level below {@code prefix} (the "directories"). */
    @Override
    public List<String> children(String prefix) {
        List<String> out = new ArrayList<>();
        for (ListObjectsV2Response page : s3.listObjectsV2Paginator(ListObjectsV2Request.builder()
                .bucket(bucket)
                .prefix(prefix)
                .delimiter("/")
                .build())) {
            page.commonPrefixes().forEach(p -> out.add(p.prefix()));
        }
        return out;
    }

    @Override
    public void delete(String key) {
        s3.deleteObject(r -> r.bucket(bucket).key(key));
    }

    /** Creates the bucket (tests and first use against an empty S3-compatible server). */
    public void createBucket() {
        s3.createBucket(r -> r.bucket(bucket));
    }

    @Override
    public void close() {
        parts.shutdownNow();
        s3.close();
    }
}
