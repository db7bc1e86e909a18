package io.pgops.stack.process;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Waits for a condition on an external process, with a message saying what was expected. */
public final class Wait {
    private Wait() {}

    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        RuntimeException last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (IllegalStateException e) {
                throw e; // the condition says it can never hold
            } catch (RuntimeException e) {
                last = e;
            }
            Daemons.pause(100);
        }
        throw new IllegalStateException(
                "timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + (last == null ? "" : " (last error: " + last.getMessage() + ")"),
                last);
    }
}
