package io.pgops.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.pgops.stack.Http;
import io.pgops.stack.auth.Tokens;
import io.pgops.stack.testkit.TestStack;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 20's key set fetched over HTTPS, as from an identity provider's JWKS endpoint: a service whose {@code
 * mp.jwt.verify.publickey.location} is an {@code https://} URL verifies tokens with the keys it fetched there, the
 * server verified against the CA named by {@code smallrye.jwt.client.tls.certificate.path}; a token of another key is
 * refused; a service that does not trust the server's CA fetches nothing and accepts no token.
 */
class KeySetFetchedOverHttpsIT {
    static TestStack stack;
    static HttpsServer jwks;
    static final AtomicInteger FETCHES = new AtomicInteger();
    static String trusting;
    static String notTrusting;

    @BeforeAll
    static void serveTheKeySetOverHttpsAndStartTwoServices() throws Exception {
        stack = TestStack.get();
        jwks = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.setHttpsConfigurator(new HttpsConfigurator(loopbackTls()));
        jwks.createContext("/jwks.json", ex -> {
            FETCHES.incrementAndGet();
            byte[] body = Files.readAllBytes(stack.tokens().keySetFile());
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        jwks.start();
        String location = "https://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json";
        Map<String, String> config = new LinkedHashMap<>();
        config.put("mp.jwt.verify.publickey.location", location);
        config.put(
                "smallrye.jwt.client.tls.certificate.path",
                stack.caCertificate().toString());
        trusting = stack.startService("audit-service-jwks", "audit-service", config);
        notTrusting = stack.startService(
                "audit-service-jwks-untrusted", "audit-service", Map.of("mp.jwt.verify.publickey.location", location));
    }

    @AfterAll
    static void stop() {
        if (jwks != null) {
            jwks.stop(0);
        }
    }

    /** The stack's loopback certificate and key (PEM, EC, PKCS#8) as a server's TLS. */
    private static SSLContext loopbackTls() throws Exception {
        io.pgops.stack.postgres.ClusterCa ca = stack.ca();
        String pem = Files.readString(ca.serverKey(), StandardCharsets.US_ASCII)
                .replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        Certificate cert;
        try (var in = Files.newInputStream(ca.serverCertificate())) {
            cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pass = "jwks".toCharArray();
        ks.setKeyEntry("server", key, pass, new Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pass);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        return ssl;
    }

    private static int get(String service, String bearer) {
        return Http.get(service + "/audit/events?cluster=it", bearer).status();
    }

    @Test
    void aTokenOfTheFetchedKeySetIsAcceptedAndOneOfAnotherKeyIsNot() {
        assertEquals(200, get(trusting, stack.tokens().bearer(Tokens.VIEWER)));
        assertEquals(
                401,
                get(trusting, "Bearer " + Tokens.unknownKey().forRole(Tokens.VIEWER)),
                "a token signed with a key the set does not hold");
        assertTrue(FETCHES.get() > 0, "the key set was fetched over HTTPS");
    }

    @Test
    void aServiceThatDoesNotTrustTheKeyServersCaAcceptsNoToken() {
        assertEquals(401, get(notTrusting, stack.tokens().bearer(Tokens.VIEWER)));
    }
}
