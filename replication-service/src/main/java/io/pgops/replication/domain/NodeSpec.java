package io.pgops.replication.domain;

import io.pgops.events.model.NodeName;
import java.util.ArrayList;
import java.util.List;

/**
 * A node as the inventory describes it: where it is and the tags that shape decisions.
 *
 * @param nofailover never promote it
 * @param priority failover priority, higher preferred, 0 never
 * @param nosync never a synchronous standby
 */
public record NodeSpec(NodeName name, String host, int port, boolean nofailover, int priority, boolean nosync) {

    /** The tags as {@code patronictl list} shows them: only those that differ from the defaults. */
    public List<String> tags() {
        List<String> tags = new ArrayList<>();
        if (nofailover) {
            tags.add("nofailover");
        }
        if (nosync) {
            tags.add("nosync");
        }
        if (priority != 1) {
            tags.add("priority=" + priority);
        }
        return tags;
    }
}
