package io.pgops.replication.rest;

import io.pgops.events.EventEnvelope;
import io.pgops.events.PgopsEvent;
import io.pgops.events.replication.FailoverCompleted;
import io.pgops.events.replication.FailoverRefused;
import io.pgops.events.replication.PauseRequested;
import io.pgops.events.replication.ReinitRequested;
import io.pgops.events.replication.ResumeRequested;
import io.pgops.events.replication.StandbyRejoined;
import io.pgops.events.replication.SwitchoverCancellationRequested;
import io.pgops.events.replication.SwitchoverRequested;
import io.pgops.events.replication.TopologyChanged;
import io.pgops.kit.rest.Problems;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** What a command's follow-up on the events topic means for the REST answer to {@code ?wait=}. */
final class CommandOutcome {
    private CommandOutcome() {}

    /** The answer {@code f} gives to {@code command}, if it is the command's outcome. */
    static Optional<Response> of(PgopsEvent command, EventEnvelope f, Map<String, Object> body) {
        return switch (f.data()) {
            case FailoverRefused r -> {
                var p = new LinkedHashMap<String, Object>(body);
                p.put("type", "about:blank");
                p.put("title", "Refused: " + r.code());
                p.put("status", 409);
                p.put("detail", r.reason());
                p.put("code", r.code());
                yield Optional.of(Response.status(409)
                        .type(Problems.PROBLEM_JSON)
                        .entity(p)
                        .build());
            }
            case FailoverCompleted c -> {
                body.put("status", "completed");
                body.put("outcome", c);
                yield Optional.of(Response.ok(body).build());
            }
            case StandbyRejoined s
            when command instanceof ReinitRequested -> {
                body.put("status", "completed");
                body.put("outcome", s);
                yield Optional.of(Response.ok(body).build());
            }
            case TopologyChanged t
            when command instanceof SwitchoverRequested s
                    && s.scheduledAt() != null
                    && t.scheduledSwitchover() != null
                    && t.scheduledSwitchover().commandId().equals(body.get("commandId")) -> {
                body.put("status", "scheduled");
                body.put("outcome", t.scheduledSwitchover());
                yield Optional.of(Response.ok(body).build());
            }
            case TopologyChanged t
            when command instanceof PauseRequested
                    || command instanceof ResumeRequested
                    || command instanceof SwitchoverCancellationRequested -> {
                body.put("status", "completed");
                body.put("outcome", t);
                yield Optional.of(Response.ok(body).build());
            }
            default -> Optional.empty();
        };
    }
}
