package io.pgops.replication.domain;

/**
 * Why a command or a change did not happen, as one enum with the wire code {@code FailoverRefused.code}
 * carries and the HTTP status and title the REST layer answers with when it can tell before publishing.
 */
public enum Refusal {
    // the command's own rules (checked by the REST layer before publishing, and again by the coordinator)
    EXPIRED("expired", 409, "Command expired"),
    STALE_TERM("stale-term", 409, "Stale term"),
    PAUSED("paused", 409, "Cluster paused"),
    UNKNOWN_NODE("unknown-node", 422, "Unknown node"),
    NOT_PROMOTABLE("not-promotable", 409, "Not promotable"),
    ALREADY_PRIMARY("already-primary", 409, "Already the primary"),
    NOT_THE_PRIMARY("not-the-primary", 409, "Not the primary"),
    IS_PRIMARY("is-primary", 409, "Is the primary"),
    TOO_FAR_AHEAD("too-far-ahead", 422, "Too far ahead"),
    ALREADY_SCHEDULED("already-scheduled", 409, "Already scheduled"),
    NOTHING_SCHEDULED("nothing-scheduled", 404, "Nothing scheduled"),
    // decided on the live reports (the coordinator only)
    PRIMARY_NOT_RUNNING("primary-not-running", 409, "Primary not running"),
    NO_ELIGIBLE_CANDIDATE("no-eligible-candidate", 409, "No eligible candidate"),
    CANDIDATE_NOT_SAFE("candidate-not-safe", 409, "Candidate not safe"),
    // a change that started and could not go on
    CANDIDATE_NOT_READY("candidate-not-ready", 409, "Candidate not ready"),
    FENCING_FAILED("fencing-failed", 409, "Fencing failed"),
    FENCE_UNCLEAN("fence-unclean", 409, "Fence unclean"),
    PROMOTE_FAILED("promote-failed", 409, "Promote failed"),
    PROMOTE_OUTCOME_UNKNOWN("promote-outcome-unknown", 409, "Promote outcome unknown"),
    REINIT_FAILED("reinit-failed", 409, "Reinit failed"),
    UNFINISHED_CHANGE_UNSAFE("unfinished-change-unsafe", 409, "Unfinished change unsafe"),
    // an automatic failover the coordinator did not make
    COOLDOWN("cooldown", 409, "Within the failover cooldown"),
    // the coordinator failed on the command before anything of it was committed
    FAILED("failed", 500, "Command failed");

    private final String code;
    private final int status;
    private final String title;

    Refusal(String code, int status, String title) {
        this.code = code;
        this.status = status;
        this.title = title;
    }

    /** The code on the wire ({@code FailoverRefused.code}). */
    public String code() {
        return code;
    }

    /** The HTTP status the REST layer answers when it refuses before publishing. */
    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
