package io.pgops.events;

/**
 * A record that is not a valid pgops CloudEvent. Consumers send it to {@link Topics#DEADLETTER} with
 * {@link #reason()} instead of retrying it.
 */
public class MalformedEventException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String reason;

    public MalformedEventException(String reason) {
        this(reason, null);
    }

    public MalformedEventException(String reason, Throwable cause) {
        super(reason, cause);
        this.reason = reason;
    }

    /** What is wrong, precisely, e.g. {@code missing CloudEvents attribute ce_type}. */
    public String reason() {
        return reason;
    }
}
