package io.pgops.events;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The one-sentence meaning of an event type, used as the summary in the AsyncAPI document and as the JSON
 * Schema description. Every event record must carry it (a test enforces this).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface EventDoc {
    /** What happened (facts) or what is asked for (commands), in one sentence. */
    String value();
}
