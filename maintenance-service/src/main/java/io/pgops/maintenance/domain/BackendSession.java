package io.pgops.maintenance.domain;

import java.time.Instant;

/**
 * A backend as {@code pg_stat_activity} shows it, with what the emergency actions need to judge it.
 *
 * @param backendType {@code client backend}, {@code walsender}, {@code autovacuum worker}, …
 * @param database {@code datname}; null for a physical walsender or a background process
 * @param user {@code usename}; null for a background process
 * @param application {@code application_name}, empty when not set
 * @param client the client's address ({@code client_addr}), or {@code local} for a Unix socket
 * @param state {@code active}, {@code idle}, {@code idle in transaction}, …; empty for a background process
 * @param superuser the role is a superuser ({@code pg_roles.rolsuper})
 * @param asking this is the connection that asks ({@code pg_backend_pid()})
 * @param backendStart when the backend started: with the pid it names one session (a pid is reused)
 * @param stateChange when it entered its state; null if unknown
 * @param queryStart when its current (or last) query started; null if none
 * @param query its statement, already shortened and redacted
 */
public record BackendSession(
        int pid,
        String backendType,
        String database,
        String user,
        String application,
        String client,
        String state,
        boolean superuser,
        boolean asking,
        Instant backendStart,
        Instant stateChange,
        Instant queryStart,
        String query) {

    /** Which session this is, across a dry run and its confirmation. */
    public record Key(int pid, Instant backendStart) {}

    public Key key() {
        return new Key(pid, backendStart);
    }
}
