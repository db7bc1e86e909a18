package io.pgops.events.replication;

import io.pgops.events.model.Term;

/** A replication event that names the coordinator term it was decided, or issued, under. */
public interface Termed {
    /** The term; null only on a command from a client that did not send one. */
    Term term();
}
