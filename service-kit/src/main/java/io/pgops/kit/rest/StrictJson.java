package io.pgops.kit.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads request bodies as they are written, or not at all: a request body is a command, and Jackson's
 * leniencies let a malformed one run. Off by default in Jackson, on here: trailing content after the value
 * ({@code {"reason":"x"} junk} rebuilt a node), numbers and booleans where a string belongs ({@code
 * {"reason": 5}} paused a cluster), strings where a number, boolean or timestamp belongs ({@code ""} as a
 * {@code scheduledAt} meant "now"), numbers where a timestamp belongs ({@code 1234567890} read as seconds
 * since the epoch: only ISO-8601 text is a timestamp, see {@link IsoTimestamps}), fractions where an integer
 * belongs, null for primitives, and unknown fields (a misspelt {@code scheduledAt} or {@code target} silently
 * changed what a switchover does).
 *
 * <p>This is the mapper of the REST layer (and anything that injects {@link ObjectMapper}); events on Kafka
 * are read by common-events' own mapper, and a reader of another version's output (the coordinator reading
 * agents' reports) must opt back into ignoring unknown fields.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        apply(mapper);
    }

    /** Configures {@code mapper} as described above and returns it; for tests and plain mappers. */
    public static ObjectMapper apply(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        refuse(
                mapper,
                LogicalType.Textual,
                CoercionInputShape.Integer,
                CoercionInputShape.Float,
                CoercionInputShape.Boolean);
        refuse(
                mapper,
                LogicalType.Integer,
                CoercionInputShape.String,
                CoercionInputShape.EmptyString,
                CoercionInputShape.Float,
                CoercionInputShape.Boolean);
        // an integer is a valid JSON float (1 for 1.0): not refused
        refuse(
                mapper,
                LogicalType.Float,
                CoercionInputShape.String,
                CoercionInputShape.EmptyString,
                CoercionInputShape.Boolean);
        refuse(
                mapper,
                LogicalType.Boolean,
                CoercionInputShape.String,
                CoercionInputShape.EmptyString,
                CoercionInputShape.Integer,
                CoercionInputShape.Float);
        refuse(mapper, LogicalType.DateTime, CoercionInputShape.EmptyString);
        mapper.registerModule(
                new SimpleModule(IsoTimestamps.class.getName()).setDeserializerModifier(new IsoTimestamps()));
        return mapper;
    }

    /**
     * Timestamps only as ISO-8601 text. Jackson's {@code InstantDeserializer} (of {@link Instant}, {@link
     * OffsetDateTime}, {@link ZonedDateTime}) reads a number, or a string of digits, as seconds since the epoch,
     * whatever the coercion settings: {@code {"scheduledAt": 1234567890}} scheduled a switchover for 2009, that
     * is at once. A modifier, not a deserializer of its own, so it wraps whichever one the mapper found,
     * whatever the order its modules were registered in, and keeps its {@code @JsonFormat} handling.
     */
    static final class IsoTimestamps extends BeanDeserializerModifier {
        private static final Set<Class<?>> TYPES = Set.of(Instant.class, OffsetDateTime.class, ZonedDateTime.class);

        @Override
        public JsonDeserializer<?> modifyDeserializer(
                DeserializationConfig config, BeanDescription description, JsonDeserializer<?> deserializer) {
            return TYPES.contains(description.getBeanClass()) ? new TextOnly(deserializer) : deserializer;
        }
    }

    /** Reads a timestamp from a string that is not a bare number; refuses a number. */
    static final class TextOnly extends DelegatingDeserializer {
        private static final Pattern EPOCH = Pattern.compile("\\s*[+-]?[0-9]+(\\.[0-9]*)?\\s*");

        TextOnly(JsonDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
            return new TextOnly(delegate);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.hasToken(JsonToken.VALUE_NUMBER_INT) || p.hasToken(JsonToken.VALUE_NUMBER_FLOAT)) {
                return ctxt.handleUnexpectedToken(handledType(), p);
            }
            if (p.hasToken(JsonToken.VALUE_STRING) && EPOCH.matcher(p.getText()).matches()) {
                return ctxt.handleWeirdStringValue(handledType(), p.getText(), "not an ISO-8601 timestamp");
            }
            return super.deserialize(p, ctxt);
        }
    }

    private static void refuse(ObjectMapper mapper, LogicalType target, CoercionInputShape... shapes) {
        for (CoercionInputShape shape : shapes) {
            mapper.coercionConfigFor(target).setCoercion(shape, CoercionAction.Fail);
        }
    }
}
