package io.pgops.events;

import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A pgops event in its CloudEvents 1.0 envelope. On Kafka it travels in binary mode ({@link CloudEventCodec}):
 * the attributes as {@code ce_*} headers, {@code data} as the JSON body, {@link #kafkaKey()} as the key.
 *
 * @param id unique id of this event (a UUID; pgops makes version 7, time-ordered ones: {@link EventIds});
 *     consumers de-duplicate by it
 * @param source who emitted it, a URI reference such as {@code /pgops/health-service}
 * @param type the CloudEvents type, {@link EventTypes#typeOf(PgopsEvent)} of {@code data}
 * @param subject the cluster the event is about, equal to {@code data.cluster()}
 * @param time when the event was emitted (UTC instant, microsecond precision)
 * @param correlationId ties together the events of one flow (a request and what followed from it); the id of
 *     the event that started the flow (CloudEvents extension attribute {@code correlationid})
 * @param data the event
 * @param requester who asked, for a command made through an authenticated request (CloudEvents extension
 *     attributes {@code pgopsprincipal} and {@code pgopsroles}); {@code null} for facts and for commands of
 *     pgops itself
 */
public record EventEnvelope(
        String id,
        String source,
        String type,
        ClusterId subject,
        Instant time,
        String correlationId,
        PgopsEvent data,
        @Nullable Requester requester) {
    public EventEnvelope {
        Require.text(id, "id");
        Require.text(source, "source");
        Require.nonNull(data, "data");
        Require.nonNull(type, "type");
        if (!type.equals(EventTypes.typeOf(data))) {
            throw new IllegalArgumentException(
                    "type " + type + " does not match data of type " + EventTypes.typeOf(data));
        }
        Require.nonNull(subject, "subject");
        if (!subject.equals(data.cluster())) {
            throw new IllegalArgumentException("subject " + subject + " does not match data.cluster " + data.cluster());
        }
        Require.nonNull(time, "time");
        Require.text(correlationId, "correlationId");
    }

    /** An event without a requester (a fact, or a command of pgops itself). */
    public EventEnvelope(
            String id,
            String source,
            String type,
            ClusterId subject,
            Instant time,
            String correlationId,
            PgopsEvent data) {
        this(id, source, type, subject, time, correlationId, data, null);
    }

    /**
     * Wraps an event to publish it now.
     *
     * @param data the event
     * @param source the emitting service, e.g. {@code /pgops/replication-service}
     * @param correlationId the flow this event belongs to (the correlation id of the event being handled); {@code
     *     null} to start a new flow, whose id is this event's id
     */
    public static EventEnvelope wrap(PgopsEvent data, String source, String correlationId) {
        return wrap(data, source, correlationId, null);
    }

    /** As {@link #wrap(PgopsEvent, String, String)}, naming who asked ({@code null}: nobody in particular). */
    public static EventEnvelope wrap(PgopsEvent data, String source, String correlationId, Requester requester) {
        String id = EventIds.newId();
        return new EventEnvelope(
                id,
                source,
                EventTypes.typeOf(data),
                data.cluster(),
                Instant.now().truncatedTo(ChronoUnit.MICROS),
                correlationId == null ? id : correlationId,
                data,
                requester);
    }

    /** The Kafka record key: the cluster id, so a cluster's events keep their order on one partition. */
    public String kafkaKey() {
        return subject.value();
    }
}
