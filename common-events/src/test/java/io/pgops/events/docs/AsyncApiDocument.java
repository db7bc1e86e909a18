package io.pgops.events.docs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgops.events.CloudEventCodec;
import io.pgops.events.EventDoc;
import io.pgops.events.EventTypes;
import io.pgops.events.PgopsEvent;
import io.pgops.events.Topics;
import io.pgops.events.model.ClusterId;
import io.pgops.events.replication.TopologyChanged;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The AsyncAPI 3.0.0 document of pgops: one channel per topic, one message per event type (payload = the
 * event's JSON Schema, headers = the CloudEvents binary-mode headers), send operations per owning service and
 * receive operations for commands.
 */
final class AsyncApiDocument {
    private static final String OPERATOR = "operator";

    private final JsonSchemas schemas;

    AsyncApiDocument(JsonSchemas schemas) {
        this.schemas = schemas;
    }

    ObjectNode build() {
        ObjectNode doc = object();
        doc.put("asyncapi", "3.0.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "pgops events");
        info.put("version", "0.1.0");
        info.put(
                "description",
                "Events and commands the pgops services exchange over Kafka. Every record is a CloudEvent 1.0 in"
                        + " binary mode: attributes in ce_* headers, the event as the JSON body, the cluster id as the"
                        + " key. Generated from common-events by ContractDocs; do not edit by hand.");
        doc.put("defaultContentType", CloudEventCodec.CONTENT_TYPE);

        Map<String, List<Class<? extends PgopsEvent>>> byTopic = messagesByTopic();
        ObjectNode channels = doc.putObject("channels");
        for (Topics.TopicSpec topic : Topics.all()) {
            channels.set(topic.name(), channel(topic, byTopic.getOrDefault(topic.name(), List.of())));
        }
        doc.set("operations", operations(byTopic));

        ObjectNode components = doc.putObject("components");
        ObjectNode messages = components.putObject("messages");
        ObjectNode payloads = components.putObject("schemas");
        payloads.set("CloudEventHeaders", headers());
        for (Class<? extends PgopsEvent> type : EventTypes.all()) {
            messages.set(type.getSimpleName(), message(type));
            ObjectNode schema = schemas.schemaOf(type);
            schema.remove("$schema");
            schema.remove("$id");
            payloads.set(type.getSimpleName(), schema);
        }
        return doc;
    }

    private static Map<String, List<Class<? extends PgopsEvent>>> messagesByTopic() {
        Map<String, List<Class<? extends PgopsEvent>>> byTopic = new LinkedHashMap<>();
        for (Class<? extends PgopsEvent> type : EventTypes.all()) {
            byTopic.computeIfAbsent(EventTypes.topicOf(type), t -> new ArrayList<>())
                    .add(type);
        }
        byTopic.put(Topics.TOPOLOGY, List.of(TopologyChanged.class));
        return byTopic;
    }

    private static ObjectNode channel(Topics.TopicSpec topic, List<Class<? extends PgopsEvent>> types) {
        ObjectNode channel = object();
        channel.put("address", topic.name());
        channel.put("description", topic.description());
        ObjectNode messages = channel.putObject("messages");
        for (Class<? extends PgopsEvent> type : types) {
            messages.putObject(type.getSimpleName()).put("$ref", "#/components/messages/" + type.getSimpleName());
        }
        ObjectNode kafka = channel.putObject("bindings").putObject("kafka");
        kafka.put("topic", topic.name());
        kafka.putObject("topicConfiguration").putArray("cleanup.policy").add(topic.compacted() ? "compact" : "delete");
        kafka.put("bindingVersion", "0.5.0");
        return channel;
    }

    private static ObjectNode operations(Map<String, List<Class<? extends PgopsEvent>>> byTopic) {
        ObjectNode operations = object();
        for (Topics.TopicSpec topic : Topics.all()) {
            List<Class<? extends PgopsEvent>> types = byTopic.getOrDefault(topic.name(), List.of());
            if (types.isEmpty()) {
                continue;
            }
            boolean commands = topic.name().endsWith(".commands");
            String sender = commands ? OPERATOR : serviceOf(types.getFirst());
            operations.set(sender + ".send." + topic.name(), operation("send", sender, topic, types, commands));
            if (commands) {
                String receiver = serviceOf(types.getFirst());
                operations.set(
                        receiver + ".receive." + topic.name(), operation("receive", receiver, topic, types, true));
            }
        }
        return operations;
    }

    private static ObjectNode operation(
            String action,
            String actor,
            Topics.TopicSpec topic,
            List<Class<? extends PgopsEvent>> types,
            boolean commands) {
        ObjectNode operation = object();
        operation.put("action", action);
        operation.putObject("channel").put("$ref", "#/channels/" + escape(topic.name()));
        String what = commands ? "commands" : "facts";
        String summary = actor.equals(OPERATOR)
                ? "Operators send " + what + " on " + topic.name() + " through the pgops API or CLI"
                : actor + (action.equals("send") ? " publishes " : " consumes ") + what + " on " + topic.name();
        operation.put("summary", summary);
        ArrayNode messages = operation.putArray("messages");
        for (Class<? extends PgopsEvent> type : types) {
            messages.addObject()
                    .put("$ref", "#/channels/" + escape(topic.name()) + "/messages/" + type.getSimpleName());
        }
        return operation;
    }

    private static ObjectNode message(Class<? extends PgopsEvent> type) {
        String ceType = EventTypes.typeOf(type);
        ObjectNode message = object();
        message.put("name", ceType);
        message.put("title", type.getSimpleName());
        message.put("summary", type.getAnnotation(EventDoc.class).value());
        message.put("contentType", CloudEventCodec.CONTENT_TYPE);
        ObjectNode headers = message.putObject("headers");
        ArrayNode allOf = headers.putArray("allOf");
        allOf.addObject().put("$ref", "#/components/schemas/CloudEventHeaders");
        allOf.addObject()
                .putObject("properties")
                .putObject(CloudEventCodec.CE_TYPE)
                .put("const", ceType);
        message.putObject("payload").put("$ref", "#/components/schemas/" + type.getSimpleName());
        message.putObject("correlationId")
                .put("description", "the flow this event belongs to")
                .put("location", "$message.header#/" + CloudEventCodec.CE_CORRELATIONID);
        ObjectNode kafka = message.putObject("bindings").putObject("kafka");
        kafka.putObject("key")
                .put("type", "string")
                .put("description", "the cluster id (= ce_subject)")
                .put("pattern", ClusterId.PATTERN);
        kafka.put("bindingVersion", "0.5.0");
        return message;
    }

    private static ObjectNode headers() {
        ObjectNode schema = object();
        schema.put("type", "object");
        schema.put("description", "CloudEvents 1.0 Kafka protocol binding, binary mode; values are UTF-8 text");
        ObjectNode properties = schema.putObject("properties");
        header(properties, CloudEventCodec.CE_SPECVERSION, "CloudEvents version")
                .put("const", "1.0");
        header(properties, CloudEventCodec.CE_ID, "unique event id (UUID); consumers de-duplicate by it");
        header(properties, CloudEventCodec.CE_SOURCE, "emitting service, e.g. /pgops/health-service");
        header(properties, CloudEventCodec.CE_TYPE, "event type io.pgops.<area>.<name>.v<major>");
        header(properties, CloudEventCodec.CE_SUBJECT, "the cluster id, equal to the Kafka key and data.cluster")
                .put("pattern", ClusterId.PATTERN);
        header(properties, CloudEventCodec.CE_TIME, "when the event was emitted, RFC 3339")
                .put("format", "date-time");
        header(properties, CloudEventCodec.CE_CORRELATIONID, "id of the event that started this flow");
        header(properties, CloudEventCodec.CONTENT_TYPE_HEADER, "content type of the body")
                .put("const", CloudEventCodec.CONTENT_TYPE);
        ArrayNode required = schema.putArray("required");
        properties.properties().forEach(p -> required.add(p.getKey()));
        return schema;
    }

    private static ObjectNode header(ObjectNode properties, String name, String description) {
        return properties.putObject(name).put("type", "string").put("description", description);
    }

    /** The owning service of an event type's area: {@code health} → {@code health-service}. */
    private static String serviceOf(Class<? extends PgopsEvent> type) {
        return EventTypes.areaOf(type) + "-service";
    }

    /** A JSON Pointer token: {@code ~} and {@code /} escaped (topic names contain dots only, but be exact). */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static ObjectNode object() {
        return CloudEventCodec.json().createObjectNode();
    }
}
