package io.pgops.backup.service;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.pgops.backup.domain.Recurrence;
import io.quarkus.runtime.configuration.DurationConverter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * A schedule as configured: a Quartz cron expression with seconds, in UTC (what the maintenance windows and
 * Quarkus' scheduler take), an interval ({@code 6h}, {@code 30m}, {@code PT6H}), or {@code off}.
 */
public final class Recurrences {
    private static final CronParser QUARTZ =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    private Recurrences() {}

    /**
     * @return empty for {@code off} (or blank)
     * @throws IllegalArgumentException neither a cron expression nor an interval, with what was wrong
     */
    public static Optional<Recurrence> parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty() || t.equalsIgnoreCase("off")) {
            return Optional.empty();
        }
        if (t.contains(" ")) {
            return Optional.of(cron(t));
        }
        try {
            return Optional.of(Recurrence.every(DurationConverter.parseDuration(t)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "schedule '" + t + "' is neither a Quartz cron expression (seconds first, e.g. '0 0 2 * * ?')"
                            + " nor an interval (e.g. 6h): " + e.getMessage(),
                    e);
        }
    }

    private static Recurrence cron(String expression) {
        ExecutionTime times;
        try {
            times = ExecutionTime.forCron(QUARTZ.parse(expression).validate());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "schedule '" + expression + "' is not a Quartz cron expression: " + e.getMessage(), e);
        }
        return new Recurrence() {
            @Override
            public Optional<Instant> nextAfter(Instant t) {
                return times.nextExecution(t.atZone(ZoneOffset.UTC)).map(z -> z.toInstant());
            }

            @Override
            public String describe() {
                return "cron '" + expression + "' UTC";
            }
        };
    }
}
