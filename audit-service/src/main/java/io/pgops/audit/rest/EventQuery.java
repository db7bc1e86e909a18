package io.pgops.audit.rest;

import io.pgops.audit.service.EventFilter;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;

/** The query parameters of {@code GET /audit/events}, each validated; absent ones select everything. */
public class EventQuery {
    static final String NAME = "[a-z0-9][a-z0-9_-]{0,62}";

    /** Cluster id. */
    @QueryParam("cluster")
    @Pattern(regexp = NAME, message = "must be a cluster id")
    public String cluster;

    /** CloudEvents type, e.g. io.pgops.health.node-unreachable.v1. */
    @QueryParam("type")
    @Pattern(regexp = "io\\.pgops\\.[a-z]+\\.[a-z-]+\\.v[0-9]+", message = "must be a pgops event type")
    public String type;

    /** The node the events are about. */
    @QueryParam("node")
    @Pattern(regexp = NAME, message = "must be a node name")
    public String node;

    /** The flow: the id of the event that started it. */
    @QueryParam("correlationId")
    @Pattern(regexp = "[A-Za-z0-9._:-]{1,128}", message = "must be a correlation id (an event id)")
    public String correlationId;

    /** Who asked, for commands. */
    @QueryParam("principal")
    @Size(min = 1, max = 320)
    public String principal;

    /** Events emitted at or after this instant. */
    @QueryParam("from")
    @IsoInstant
    public String from;

    /** Events emitted before this instant. */
    @QueryParam("to")
    @IsoInstant
    public String to;

    /** The next cursor of the previous page. */
    @QueryParam("cursor")
    @ValidCursor
    public String cursor;

    /** Page size. */
    @QueryParam("limit")
    @DefaultValue("100")
    @Min(1)
    @Max(1000)
    public int limit;

    EventFilter filter() {
        return new EventFilter(
                cluster,
                type,
                node,
                correlationId,
                principal,
                from == null ? null : IsoInstant.Validator.parse(from),
                to == null ? null : IsoInstant.Validator.parse(to));
    }

    Long before() {
        return cursor == null ? null : Cursor.position(cursor);
    }
}
