package io.pgops.events;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an event field that may be {@code null} (JSON {@code null} or absent). Every other field is required:
 * {@link CloudEventCodec#decode} rejects a body without it and the JSON Schema lists it as {@code required}.
 * A field added to an existing event type must be {@code @Nullable}, so that old events still decode.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface Nullable {}
