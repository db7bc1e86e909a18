package io.pgops.kit.inventory;

import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;

/** A cluster's {@link PgTls} settings applied to the Vert.x PostgreSQL client's options. */
public final class PgTlsOptions {
    private PgTlsOptions() {}

    /** The options with the cluster's TLS settings applied; returns {@code o}. */
    public static PgConnectOptions apply(PgConnectOptions o, Inventory.Cluster c) {
        SslMode mode = SslMode.of(c.sslmode());
        o.setSslMode(mode);
        if (mode == SslMode.DISABLE) {
            return o;
        }
        if (c.sslrootcert().isPresent()) {
            o.setPemTrustOptions(
                    new PemTrustOptions().addCertPath(c.sslrootcert().get()));
            o.setTrustAll(false);
        } else {
            o.setTrustAll(true); // libpq's require and below: encrypted, the server unverified
        }
        if (mode == SslMode.VERIFY_FULL) {
            o.setHostnameVerificationAlgorithm("HTTPS"); // the host's name or address against the certificate's SAN
        }
        return o;
    }
}
