package io.pgops.replication.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgops.replication.rest.AgentApi;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.tls.TlsConfiguration;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ContextResolver;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;
import org.jboss.logging.Logger;

/**
 * The Quarkus REST clients of the agents' {@link AgentApi}, one per agent URL and read timeout, reading
 * answers tolerantly and turning every answer but 200 into {@link Answered}; and how a failed call is
 * told apart (refused, so surely not sent; unreadable; interrupted) and described.
 */
final class AgentClients {
    private static final Logger LOG = Logger.getLogger(AgentClients.class);

    private final ObjectMapper json;
    private final Duration connectTimeout;
    private final Map<Endpoint, AgentApi> clients = new ConcurrentHashMap<>();
    /** How an agent on HTTPS is verified (the named TLS configuration {@link #TLS_NAME}); none: the JVM's trust. */
    private final Optional<TlsConfiguration> tls;

    /**
     * The name of the TLS configuration the agents' HTTPS is verified with, e.g. {@code
     * quarkus.tls.agents.trust-store.pem.certs=/etc/pgops/tls/agents-ca.crt}.
     */
    static final String TLS_NAME = "agents";

    AgentClients(ObjectMapper tolerantJson, Duration connectTimeout, Optional<TlsConfiguration> tls) {
        this.json = tolerantJson;
        this.connectTimeout = connectTimeout;
        this.tls = tls;
    }

    /** The cached client of an agent for this read timeout. */
    AgentApi client(String base, Duration readTimeout) {
        return clients.computeIfAbsent(new Endpoint(base, readTimeout), this::build);
    }

    /** A client of its own (close it after). */
    AgentApi once(String base, Duration readTimeout) {
        return build(new Endpoint(base, readTimeout));
    }

    void closeAll() {
        clients.values().forEach(AgentClients::close);
        clients.clear();
    }

    /** An agent's base URL and the read timeout of the client that calls it. */
    private record Endpoint(String base, Duration readTimeout) {}

    private AgentApi build(Endpoint e) {
        QuarkusRestClientBuilder b = QuarkusRestClientBuilder.newBuilder();
        tls.ifPresent(b::tlsConfiguration);
        return b.baseUri(URI.create(e.base()))
                .connectTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(e.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .register(new TolerantJson(json))
                .register(new Answers())
                .disableDefaultMapper(true)
                .build(AgentApi.class);
    }

    static void close(AgentApi client) {
        if (client instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debugf(e, "closing an agent client");
            }
        }
    }

    /** The answers of the agents are read tolerantly: see {@link AgentClient#tolerant}. Registered on the clients only. */
    private record TolerantJson(ObjectMapper mapper) implements ContextResolver<ObjectMapper> {
        @Override
        public ObjectMapper getContext(Class<?> type) {
            return mapper;
        }
    }

    /**
     * Any answer but 200 (202 still running, a refusal, a failure), with its status and body as text: the
     * agent's own words reach the coordinator's message, and "running" is told from an outcome.
     */
    static final class Answered extends RuntimeException {
        final int status;
        final String body;

        Answered(int status, String body) {
            super("HTTP " + status + " " + firstLine(body), null, false, false);
            this.status = status;
            this.body = body;
        }
    }

    /** Turns every answer but 200 into {@link Answered}, ahead of the REST client's default mapper. */
    private static final class Answers implements ResponseExceptionMapper<Answered> {
        @Override
        public boolean handles(int status, MultivaluedMap<String, Object> headers) {
            // status 0: no answer at all (refused, timed out, closed): the transport's own exception tells
            return status >= 100 && status != 200;
        }

        @Override
        public Answered toThrowable(Response response) {
            String body;
            try {
                body = response.hasEntity() ? response.readEntity(String.class) : "";
            } catch (RuntimeException e) {
                body = "";
            }
            return new Answered(response.getStatus(), body == null ? "" : body);
        }

        @Override
        public int getPriority() {
            return 0; // before the default mapper (which only sees >= 400 and says less)
        }
    }

    static String firstLine(String s) {
        String t = s.strip();
        int i = t.indexOf('\n');
        t = i < 0 ? t : t.substring(0, i);
        return t.length() > 200 ? t.substring(0, 200) + "…" : t;
    }

    /** The body of a 200 answer could not be read as the declared type. */
    static boolean unreadable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JsonProcessingException) {
                return true;
            }
        }
        return false;
    }

    /** The connection was refused: nothing was sent. A connect timeout is not counted (as before). */
    static boolean refused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException
                    && !t.getClass().getName().contains("Timeout")) {
                return true;
            }
        }
        return false;
    }

    static boolean interrupted(Throwable e) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * The innermost cause, by its class's simple name (a connection refusal: ConnectException), and the
     * first line of its message.
     */
    static String describe(Throwable e) {
        Throwable t = rootCause(e);
        String name = t instanceof java.net.ConnectException
                        && !t.getClass().getName().contains("Timeout")
                ? "ConnectException"
                : t.getClass().getSimpleName();
        return name + ": " + (t.getMessage() == null ? "" : firstLine(t.getMessage()));
    }
}
