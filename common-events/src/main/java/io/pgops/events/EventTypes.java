package io.pgops.events;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one registry of event types: record class ⇄ CloudEvents type {@code io.pgops.<area>.<name>.v1}, where
 * {@code <area>} comes from the area interface ({@code HealthEvent} → {@code health}) and {@code <name>} is the
 * record's simple name in lower kebab case. Derived from the sealed hierarchy, so a new record is registered by
 * adding it to its area's {@code permits} clause.
 */
public final class EventTypes {
    private static final String PREFIX = "io.pgops.";
    private static final String VERSION = ".v1";

    private static final Map<Class<? extends PgopsEvent>, String> TYPES = new LinkedHashMap<>();
    private static final Map<String, Class<? extends PgopsEvent>> CLASSES = new LinkedHashMap<>();
    private static final Map<Class<? extends PgopsEvent>, String> AREAS = new LinkedHashMap<>();

    static {
        for (Class<?> area : PgopsEvent.class.getPermittedSubclasses()) {
            String areaName = kebab(area.getSimpleName().replaceFirst("Event$", ""));
            register(area, areaName);
        }
    }

    private EventTypes() {}

    /** The CloudEvents type of an event record class, e.g. {@code io.pgops.health.node-unreachable.v1}. */
    public static String typeOf(Class<? extends PgopsEvent> eventClass) {
        String type = TYPES.get(eventClass);
        if (type == null) {
            throw new IllegalArgumentException(eventClass.getName() + " is not an event record of PgopsEvent");
        }
        return type;
    }

    public static String typeOf(PgopsEvent event) {
        return typeOf(event.getClass());
    }

    /** The record class of a CloudEvents type; empty for a type this version does not know. */
    public static Optional<Class<? extends PgopsEvent>> classOf(String type) {
        return Optional.ofNullable(CLASSES.get(type));
    }

    /** Every event record class, grouped by area in {@code permits} order. */
    public static List<Class<? extends PgopsEvent>> all() {
        return List.copyOf(TYPES.keySet());
    }

    /** The area of an event record class: {@code health}, {@code replication}, {@code backup}, {@code maintenance}
     * or {@code audit}. */
    public static String areaOf(Class<? extends PgopsEvent> eventClass) {
        typeOf(eventClass);
        return AREAS.get(eventClass);
    }

    public static boolean isCommand(Class<? extends PgopsEvent> eventClass) {
        return OperatorCommand.class.isAssignableFrom(eventClass);
    }

    /**
     * The topic an event is published on: {@code pgops.<area>.commands} for commands, {@code pgops.<area>.events}
     * for facts, {@link Topics#REPLICATION_LEASES} for the lease protocol. {@code TopologyChanged} also goes to {@code pgops.replication.events}; the replication service
     * additionally writes it to the compacted {@link Topics#TOPOLOGY}.
     */
    public static String topicOf(Class<? extends PgopsEvent> eventClass) {
        if (LeaseProtocol.class.isAssignableFrom(eventClass)) {
            return Topics.REPLICATION_LEASES;
        }
        return "pgops." + areaOf(eventClass) + (isCommand(eventClass) ? ".commands" : ".events");
    }

    @SuppressWarnings("unchecked")
    private static void register(Class<?> type, String area) {
        if (type.isRecord()) {
            Class<? extends PgopsEvent> event = (Class<? extends PgopsEvent>) type;
            String name = PREFIX + area + "." + kebab(type.getSimpleName()) + VERSION;
            if (CLASSES.putIfAbsent(name, event) != null) {
                throw new IllegalStateException("two event records map to " + name);
            }
            TYPES.put(event, name);
            AREAS.put(event, area);
            return;
        }
        Class<?>[] permitted = type.getPermittedSubclasses();
        if (permitted == null) {
            throw new IllegalStateException(type.getName() + " must be a record or a sealed interface");
        }
        for (Class<?> sub : List.of(permitted)) {
            register(sub, area);
        }
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
